"""The claim ledger on the real seeds, through the real ingest and the real embedder."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from bot.chain import Bot
from bot.export import to_csv_rows, to_jsonld
from bot.ledger import filter_ledger
from index.settings import Settings
from index.tracked import TrackedClaim
from tests.app_process import clean_env

REPO = Path(__file__).resolve().parents[2]


def find(bot: Bot, fragment: str) -> TrackedClaim:
    return next(t for t in bot.ledger if any(fragment in a.quote for a in t.appearances))


def outlets(claim: TrackedClaim) -> set[str]:
    return {a.outlet for a in claim.appearances}


def test_call_to_do_more_and_ammunition_is_one_claim_in_both_outlets(bot: Bot) -> None:
    claim = find(bot, "mendesak Korea Selatan untuk berbuat lebih banyak")
    assert outlets(claim) == {"Medcom", "kumparan"} and claim.outlets == 2
    quotes = " ".join(a.quote for a in claim.appearances)
    assert "amunisi" in quotes and "meminta negara itu untuk berbuat lebih banyak" in quotes
    assert claim.speaker == "Jens Stoltenberg" and claim.kind == "request"


def test_shared_quote_flags_the_differing_credit(bot: Bot) -> None:
    claim = find(bot, "Jika kita percaya pada kebebasan, demokrasi")
    assert outlets(claim) == {"Medcom", "kumparan"}
    credits = {a.outlet: a.credited_to for a in claim.appearances}
    assert credits == {"Medcom": "Al Jazeera", "kumparan": "AFP"}
    assert any(f.startswith("different credit") for f in claim.flags)


def test_german_norwegian_policy_change_is_reported_by_both(bot: Bot) -> None:
    claim = find(bot, "Jerman dan Norwegia")
    assert outlets(claim) == {"Medcom", "kumparan"}
    assert all("Jerman dan Norwegia" in a.quote for a in claim.appearances)


def test_putin_weapons_claim_is_disputed_by_north_korea(bot: Bot) -> None:
    claim = find(bot, "memperoleh senjata dari sejumlah negara, termasuk Korea Utara")
    denial = find(bot, "Korut telah membantah tudingan tersebut")
    assert claim.disputed and denial.disputed
    assert {"kind": "disputed by", "claim": denial.id} in claim.links
    assert {"kind": "disputes", "claim": claim.id} in denial.links
    official = find(bot, "Mencoba menodai citra")
    assert official.speaker == "Kwon Jong-gun"
    assert {"kind": "responds to", "claim": claim.id} in official.links


def test_each_claim_counts_an_outlet_once_and_keeps_first_appearance(bot: Bot) -> None:
    for claim in bot.ledger:
        assert claim.outlets <= len(outlets(claim))
        assert claim.first_appearance == claim.appearances[0]
        for a in claim.appearances:
            text = (REPO / a.source).read_text(encoding="utf-8")
            assert text[a.start : a.end] == a.quote


def test_filters(bot: Bot) -> None:
    kwon = filter_ledger(bot.ledger, speaker="kwon")
    assert [t.speaker for t in kwon] == ["Kwon Jong-gun"]
    antara = filter_ledger(bot.ledger, outlet="ANTARA")
    assert antara and all(outlets(t) == {"ANTARA"} for t in antara)


def test_exports(bot: Bot) -> None:
    data = to_jsonld(bot.ledger)
    assert data["@context"] == "https://schema.org"
    node = next(n for n in data["@graph"] if "Jika kita percaya" in n["text"])
    assert node["@type"] == "Claim" and node["author"]["name"] == "Jens Stoltenberg"
    assert len(node["appearance"]) == 2
    assert node["firstAppearance"]["publisher"]["name"] == "Medcom"
    rows = to_csv_rows(bot.ledger)
    assert sum(len(t.appearances) for t in bot.ledger) == len(rows)
    assert {"claim_id", "speaker", "outlet", "quote", "credited_to"} <= set(rows[0])


def test_claims_command(seeded: Settings) -> None:
    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "claims", *args, "--data-dir", str(seeded.data_dir)],
            cwd=REPO,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    listed = json.loads(run("--speaker", "Kwon", "--json"))
    assert [c["speaker"] for c in listed] == ["Kwon Jong-gun"]
    assert listed[0]["appearances"][0]["outlet"] == "kumparan"
    table = list(csv.DictReader(io.StringIO(run("--export", "csv"))))
    assert {r["outlet"] for r in table} == {"Medcom", "kumparan", "ANTARA"}
    assert json.loads(run("--export", "jsonld"))["@graph"]


def test_chat_question_about_claims_in_several_outlets(bot: Bot) -> None:
    answer = bot.ask("Which claims about South Korea were reported by more than one outlet?")
    assert answer.found and answer.answer.startswith("Claims reported by more than one outlet")
    assert {c.outlet for c in answer.citations} == {"Medcom", "kumparan"}
    assert any("mendesak Korea Selatan" in c.quote for c in answer.citations)


def test_chat_shows_claim_and_denial_side_by_side(bot: Bot) -> None:
    answer = bot.ask("Does North Korea supply weapons to Russia?")
    assert "Disputed — the claim and its denial, side by side" in answer.answer
    by_role = {c.role: c for c in reversed(answer.citations) if c.role}
    assert "termasuk Korea Utara" in by_role["claim"].quote
    assert "membantah" in by_role["denial"].quote
    responses = [c.quote for c in answer.citations if c.role == "response"]
    assert any("Kwon Jong-gun" in q for q in responses)
    assert by_role["claim"].claim_disputed


def test_cited_claims_carry_their_outlet_count(bot: Bot) -> None:
    answer = bot.ask("What did Stoltenberg ask of Korea?")
    marked = [c for c in answer.citations if c.claim_outlets > 1]
    assert marked and "reported by 2 outlets" in answer.answer
    assert "Disputed" not in answer.answer
