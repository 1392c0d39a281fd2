"""The claim ledger on the real seeds, through the real ingest and the real embedder."""

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Any

from bot.chain import Bot
from bot.export import to_csv_rows, to_jsonld
from bot.ledger import filter_ledger
from index.differences import count_outlets
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.tracked import Appearance, TrackedClaim, ledger_dir, load_grouping
from tests.app_process import bot_output

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
    assert any(f.startswith("The outlets credit it to different sources") for f in claim.flags)


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
    assert data["@context"][0] == "https://schema.org"
    node = next(n for n in data["@graph"] if "Jika kita percaya" in n["text"])
    assert node["@type"] == "Claim" and node["author"]["name"] == "Jens Stoltenberg"
    assert node["author"]["@type"] == "Person"
    assert len(node["appearance"]) == 2
    assert node["firstAppearance"]["publisher"]["name"] == "Medcom"
    denial = next(n for n in data["@graph"] if n["author"]["name"] == "Korut")
    assert denial["author"]["@type"] == "Organization"  # a state, not a person
    links = [n for n in data["@graph"] if "claimbot:disputedBy" in n]
    assert links and all(t["claimbot:inferred"] for n in links for t in n["claimbot:disputedBy"])
    assert all("isRelatedTo" not in n for n in data["@graph"])
    rows = to_csv_rows(bot.ledger)
    assert sum(len(t.reports()) for t in bot.ledger) == len(rows)
    assert {"claim_id", "speaker", "outlet", "quote", "credited_to", "url"} <= set(rows[0])


SCHEMA = Path(__file__).resolve().parents[1] / "data" / "schemaorg-subset.jsonld"
LITERALS = {"schema:Text", "schema:URL", "schema:Date", "schema:DateTime", "schema:Integer"}


def _ids(value: Any) -> set[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return {i["@id"] for i in items}


def check_against_schema(node: dict[str, Any], where: str = "") -> list[str]:
    """Every property of `node` (and of the nodes in it) as schema.org defines it: the
    property exists, the node's type is in its domain, each value is in its range."""
    graph = {n["@id"]: n for n in json.loads(SCHEMA.read_text(encoding="utf-8"))["@graph"]}

    def ancestors(name: str) -> set[str]:
        found, todo = set(), [f"schema:{name}"]
        while todo:
            current = todo.pop()
            if current in found or current not in graph:
                continue
            found.add(current)
            todo += _ids(graph[current].get("rdfs:subClassOf"))
        return found

    problems: list[str] = []
    types = ancestors(node["@type"])
    if not types:
        return [f"{where}: {node['@type']} is not a schema.org type"]
    for key, value in node.items():
        if key.startswith(("@", "claimbot:")):
            continue
        prop = graph.get(f"schema:{key}")
        if prop is None or prop["@type"] != "rdf:Property":
            problems.append(f"{where}.{key}: not a schema.org property")
            continue
        if not types & _ids(prop["schema:domainIncludes"]):
            problems.append(f"{where}.{key}: not a property of {node['@type']}")
        ranges = _ids(prop["schema:rangeIncludes"])
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if not ancestors(item["@type"]) & ranges:
                    problems.append(f"{where}.{key}: {item['@type']} not in its range")
                problems += check_against_schema(item, f"{where}.{key}")
            elif not ranges & LITERALS:
                problems.append(f"{where}.{key}: a literal where {sorted(ranges)} is expected")
            elif ranges & {"schema:Date", "schema:DateTime"}:
                try:
                    datetime.date.fromisoformat(str(item))
                except ValueError:
                    problems.append(f"{where}.{key}: {item!r} is not an ISO 8601 date")
    return problems


def test_jsonld_export_follows_schema_org(bot: Bot) -> None:
    odd = TrackedClaim(
        id="x1",
        speaker="Kementerian Luar Negeri",
        role="",
        kind="statement",
        text='=HYPERLINK("http://example.invalid")',
        appearances=[
            Appearance(
                "c1",
                "in/a.txt",
                "d" * 16,
                "Outlet",
                "9999-99-99",
                0,
                5,
                "-2+3",
                "AFP",
                "statement",
                "mengatakan",
                "https://example.org/a",
            )
        ],
    )
    graph = to_jsonld([*bot.ledger, odd])["@graph"]
    problems = [p for n in graph for p in check_against_schema(n, n["@id"])]
    assert not problems, problems[:10]
    node = graph[-1]
    assert node["author"]["@type"] == "Organization"
    assert "datePublished" not in node["appearance"][0]  # never a date that is not one
    assert node["appearance"][0]["url"] == "https://example.org/a"
    row = to_csv_rows([odd])[0]
    assert row["claim"].startswith("'=") and row["quote"] == "'-2+3"  # never a formula


def test_claims_command(seeded: Settings) -> None:
    def run(*args: str) -> str:
        return bot_output("claims", *args, data_dir=seeded.data_dir)

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
    assert "Disputed, as the claim ledger infers" in answer.answer
    assert "the claim and its denial, side by side" in answer.answer
    by_role = {c.role: c for c in reversed(answer.citations) if c.role}
    assert "termasuk Korea Utara" in by_role["claim"].quote
    assert "membantah" in by_role["denial"].quote
    responses = [c.quote for c in answer.citations if c.role == "response"]
    assert any("Kwon Jong-gun" in q for q in responses)
    assert by_role["claim"].claim_disputed and by_role["claim"].claim_dispute_inferred


def test_cited_claims_carry_their_outlet_count(bot: Bot) -> None:
    answer = bot.ask("What did Stoltenberg ask of Korea?")
    marked = [c for c in answer.citations if c.claim_outlets > 1]
    assert marked and "reported by 2 outlets" in answer.answer
    assert "Disputed" not in answer.answer


def test_the_claims_tab_shows_the_most_reported_claims_first_and_says_how_many_more(
    bot: Bot,
) -> None:
    from bot.web.claims_view import ALL, render_claims

    everything = render_claims(bot, ALL, ALL)
    total = everything.count("<tr>") - 1
    assert total == len(bot.ledger) > 5 and "most widely reported" not in everything
    cut = render_claims(bot, ALL, ALL, limit=5)
    assert cut.count("<tr>") - 1 == 5
    assert f"The 5 most widely reported of {total} claims" in cut
    first = max(bot.ledger, key=lambda t: t.outlets)
    assert f"<td>{first.outlets}<br>" in cut.split("</tr>")[1]  # the widest-reported leads


def test_one_speakers_different_statements_are_not_one_claim(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    """Two outlets quote the same spokesman on different matters, with the same attribution
    words around each ("kata Juru Bicara ... di Gedung ..., Senin"), and once on the same
    matter: only that one is a claim reported by both."""
    folder = tmp_path / "berita"
    folder.mkdir()
    tail = "kata Juru Bicara Kejaksaan Agung Raditya Wibisono di Gedung Kejaksaan, Jakarta"
    (folder / "a.txt").write_text(
        "Kejaksaan Periksa Dua Saksi\n\n"
        f'" Dua saksi diperiksa untuk tersangka proyek jalan tol Cipali, " {tail}, Senin.\n\n'
        f'" Berkas perkara korupsi dermaga Tanjung Emas sudah lengkap dan segera '
        f'dilimpahkan ke pengadilan, " {tail}.\n',
        "utf-8",
    )
    (folder / "b.txt").write_text(
        "Kejaksaan Sita Aset Pejabat\n\n"
        f'" Kami menyita tiga rumah dan dua mobil milik pejabat dinas perhubungan, " {tail}, '
        "Kamis.\n\n"
        f'" Berkas perkara korupsi dermaga Tanjung Emas sudah lengkap dan segera '
        f'dilimpahkan ke pengadilan, " {tail}, Kamis.\n',
        "utf-8",
    )
    ingest_paths(settings, [folder], embedder)
    ledger = Bot(settings, embedder).ledger
    both = [t for t in ledger if len({a.doc_id for a in t.appearances}) > 1]
    assert len(both) == 1 and "dermaga Tanjung Emas" in both[0].text
    assert both[0].speaker == "Raditya Wibisono"


def test_a_denial_never_disputes_the_deniers_own_words(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Menteri Bantah Impor Beras\n\n"
        "Menteri Perdagangan Lestari Anggraini mengatakan stok beras nasional aman hingga "
        "akhir tahun dan harga di pasar mulai turun.\n\n"
        "Lestari Anggraini membantah kabar bahwa pemerintah akan mengimpor beras dari "
        "Thailand bulan depan.\n",
        "utf-8",
    )
    ingest_paths(settings, [folder], embedder)
    ledger = Bot(settings, embedder).ledger
    denial = next(t for t in ledger if t.kind == "denial")
    own = [t for t in ledger if t.speaker == denial.speaker and t is not denial]
    assert own and not any(link["claim"] in {t.id for t in own} for link in denial.links)


def _shape(ledger: list[TrackedClaim]) -> tuple[set[frozenset[str]], set[tuple[str, str, str]]]:
    """A ledger as its groups of appearances and its links between first appearances."""
    first = {t.id: t.appearances[0].claim_id for t in ledger}
    groups = {frozenset(a.claim_id for a in t.appearances) for t in ledger}
    links = {(first[t.id], link["kind"], first[link["claim"]]) for t in ledger for link in t.links}
    return groups, links


def test_articles_added_one_write_at_a_time_give_the_ledger_of_one_write(
    seeded: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    """Each write adds its claims to the saved ledger instead of building it again; the
    seeds written one by one give the same claims, appearances and dispute links."""
    settings = Settings(data_dir=tmp_path / "data")
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        ingest_paths(settings, [Path("seeds") / seed.name], embedder)
        grouping = load_grouping(ledger_dir(settings.data_dir))
        assert grouping is not None and grouping.claims > 0  # the state the next write reads
    one_by_one = _shape(Bot(settings, embedder).ledger)
    assert one_by_one == _shape(Bot(seeded, embedder).ledger)
    assert any(len(g) > 1 for g in one_by_one[0]) and one_by_one[1]  # something to compare


def test_a_changed_or_removed_article_leaves_the_ledger(
    embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    settings = Settings(data_dir=tmp_path / "data")
    ingest_paths(settings, [folder], embedder)
    before = Bot(settings, embedder).ledger
    linked = next(t for t in before if t.links)  # its article goes: so must its links
    changed = Path(linked.appearances[0].source)
    shared = next(
        t for t in before if t.outlets > 1 and str(changed) in {a.source for a in t.appearances}
    )
    changed.write_text(
        "Jakarta (ANTARA) - Menteri Pertanian Amran Sulaiman mengatakan panen padi tahun ini "
        "naik sepuluh persen.\n",
        encoding="utf-8",
    )
    ingest_paths(settings, [folder], embedder)
    after = Bot(settings, embedder).ledger
    assert [a.quote for t in after for a in t.appearances if a.source == str(changed)] == [
        next(t.text for t in after if "panen padi" in t.text)
    ]
    assert all(t.outlets == count_outlets(t.appearances) for t in after)
    kept = next(a for a in shared.appearances if a.source != str(changed))
    rest = next(t for t in after if kept.claim_id in {a.claim_id for a in t.appearances})
    assert str(changed) not in {a.source for a in rest.appearances}
    assert rest.outlets < shared.outlets
    ids = {t.id for t in after}
    assert all(link["claim"] in ids for t in after for link in t.links)
    changed.unlink()
    ingest_paths(settings, [folder], embedder)
    gone = Bot(settings, embedder).ledger
    assert str(changed) not in {a.source for t in gone for a in t.appearances}
    assert {a.source for t in gone for a in t.appearances} == {str(p) for p in folder.glob("*.txt")}
