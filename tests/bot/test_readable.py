"""The ledger read by someone who does not read Indonesian (issue 35, point 1): speakers
under one name with their other names, each article's report once, flags as English
sentences, and how each claim is given: an English gloss made at ingest by the LLM (a
real OpenAI-compatible server on loopback), marked as a machine translation, or offline
quoted as written with its language named."""

import json
import re
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.chain import Bot
from bot.web.claims_view import ALL, render_claims
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.tracked import TrackedClaim, ledger_dir, load_ledger
from tests.app_process import bot_output
from tests.openai_stub import OpenAIStub

REPO = Path(__file__).resolve().parents[2]


def find(bot: Bot, fragment: str) -> TrackedClaim:
    return next(t for t in bot.ledger if any(fragment in a.quote for a in t.appearances))


def row_of(bot: Bot, fragment: str) -> str:
    """The Claims tab's row of the claim whose text has `fragment` (not a link to it)."""
    rows = render_claims(bot, ALL, ALL).split("</tr>")
    return next(r for r in rows if "<td>" in r and fragment in r.split("<td>")[2].split("<br>")[0])


def test_a_speaker_is_listed_with_its_other_names(bot: Bot) -> None:
    korut = find(bot, "Korut telah membantah tudingan tersebut")
    assert korut.speaker == "Korut"
    assert korut.aliases[0] == "North Korea" and "Korea Utara" in korut.aliases
    stoltenberg = find(bot, "mendesak Korea Selatan untuk berbuat lebih banyak")
    assert stoltenberg.speaker == "Jens Stoltenberg" and "Stoltenberg" in stoltenberg.aliases
    assert korut.to_json()["aliases"] == korut.aliases
    assert "also: North Korea, Korea Utara" in row_of(bot, "Korut telah")


def test_each_article_reports_a_claim_once(bot: Bot) -> None:
    """The seeds' call to do more is two sentences in kumparan: one report, one row."""
    claim = find(bot, "mendesak Korea Selatan untuk berbuat lebih banyak")
    assert len(claim.appearances) == 3 and len(claim.reports()) == 2
    kumparan = next(r for r in claim.reports() if r.outlet == "kumparan")
    text = (REPO / kumparan.source).read_text(encoding="utf-8")
    parts = [a for a in claim.appearances if a.doc_id == kumparan.doc_id]
    assert text[kumparan.start : kumparan.end].startswith(parts[0].quote)
    assert text[kumparan.start : kumparan.end].endswith(parts[-1].quote)
    row = next(
        r
        for r in render_claims(bot, ALL, ALL).split("</tr>")
        if claim.id in r or ("berbuat lebih banyak" in r)
    )
    assert row.count("kumparan, 2023-01-30") == 1
    assert len(claim.to_json()["appearances"]) == 2


def test_flags_are_english_sentences(bot: Bot) -> None:
    flags = [f for t in bot.ledger for f in t.flags]
    assert flags and all(re.fullmatch(r"[A-Z][^\n]*\.", f) for f in flags)


def test_offline_a_claim_is_quoted_as_written_in_its_language(bot: Bot) -> None:
    claim = find(bot, "Korut telah membantah tudingan tersebut")
    assert claim.language == "id" and claim.to_json()["gloss"] is None
    assert "Quoted as written, in Indonesian" in row_of(bot, "Korut telah")


def test_the_claims_command_names_and_glosses(seeded: Settings) -> None:
    shown = bot_output("claims", "--speaker", "North Korea", data_dir=seeded.data_dir)
    assert "Korut (also: North Korea, Korea Utara) · denial" in shown
    assert "Quoted as written, in Indonesian" in shown


ARTICLE = (
    "Gaji Guru Naik\n\nJakarta - Menteri Keuangan Sri Wahyuni mengatakan gaji guru honorer "
    "akan naik lima persen mulai Januari tahun depan.\n"
)
ENGLISH = "Finance Minister Sri Wahyuni said honorary teachers' pay will rise five percent."


def _model(body: dict[str, Any]) -> str:
    """A model that extracts no claims and glosses each numbered claim."""
    prompt = str(body["messages"][-1]["content"])
    if "<claims>" not in prompt:
        return json.dumps({"claims": []})
    listed = json.loads(prompt.split("<claims>")[1].split("</claims>")[0])
    return json.dumps({"glosses": [{"n": item["n"], "english": ENGLISH} for item in listed]})


def _glossing(body: dict[str, Any]) -> bool:
    return "<claims>" in str(body["messages"][-1]["content"])


def test_with_an_llm_each_claim_gets_an_english_gloss_at_ingest(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with OpenAIStub([{"reply": _model}]) as stub:
        settings = Settings(
            data_dir=tmp_path / "data",
            openai_api_key=SecretStr("sk-test"),
            openai_base_url=stub.url,
            llm_model="stub-model",
            llm_timeout=5.0,
            llm_max_retries=0,
        )
        report = ingest_paths(settings, [folder], embedder)
        assert report.warnings == [] and sum(map(_glossing, stub.requests)) == 1
        (folder / "b.txt").write_text("Judul\n\nHarga beras naik di pasar.\n", encoding="utf-8")
        ingest_paths(settings, [folder], embedder)  # a later write: the gloss is kept
        ingest_paths(settings, [folder], embedder, rebuild=True)  # and through a rebuild
        assert sum(map(_glossing, stub.requests)) == 1
    saved = load_ledger(ledger_dir(settings.data_dir))
    assert saved is not None
    claim = next(t for t in saved[1] if "gaji guru" in t.text)
    assert claim.text.startswith("Jakarta - Menteri Keuangan")  # the quote stays as written
    assert claim.to_json()["gloss"] == {
        "text": ENGLISH,
        "model": "stub-model",
        "machine_translation": True,
    }
    bot = Bot(settings, embedder)
    row = row_of(bot, "gaji guru")
    assert "machine translation by stub-model, not a quote" in row and ENGLISH[:30] in row


def test_a_failing_llm_leaves_claims_quoted_as_written(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with OpenAIStub([{"status": 500}]) as stub:
        settings = Settings(
            data_dir=tmp_path / "data",
            openai_api_key=SecretStr("sk-test"),
            openai_base_url=stub.url,
            llm_timeout=2.0,
            llm_max_retries=0,
        )
        report = ingest_paths(settings, [tmp_path / "a.txt"], embedder)
    assert any(w.startswith("English glosses: LLM glosses failed") for w in report.warnings)
    saved = load_ledger(ledger_dir(settings.data_dir))
    assert saved is not None and not any(t.gloss for t in saved[1])
