"""One statement across languages is one tracked claim (issue 35, point 5).

An Indonesian outlet and an English one report the same statement by the same speaker; the
English outlet also reports another statement of hers. Real ingest, the real bundled
embedder, the ledger as readers load it: built in one write, and updated write by write.
"""

import json
from pathlib import Path

from index.calibration import LedgerBars
from index.differences import CROSSLANG
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.tracked import TrackedClaim, ledger_dir, load_ledger

INDONESIAN = (
    "Menteri Keuangan Sri Mulyani Indrawati mengatakan pertumbuhan ekonomi Indonesia tahun "
    "ini diperkirakan mencapai 5,2 persen, didorong oleh konsumsi rumah tangga yang kuat."
)
ENGLISH = (
    "Finance Minister Sri Mulyani Indrawati said Indonesia's economic growth this year is "
    "expected to reach 5.2 percent, driven by strong household consumption."
)
OTHER = (
    "Sri Mulyani Indrawati also said the government would cut fuel subsidies by 12 percent "
    "next year to pay for new schools."
)


def _write(folder: Path, name: str, body: str, outlet: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(f"{outlet} report\n\n{body}\n", encoding="utf-8")
    sidecar = {"outlet": outlet, "date": "2024-05-02", "title": f"{outlet} report"}
    path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def _ledger(settings: Settings) -> list[TrackedClaim]:
    saved = load_ledger(ledger_dir(settings.data_dir))
    assert saved is not None
    return saved[1]


def _assert_one_claim_in_two_languages(tracked: list[TrackedClaim]) -> None:
    growth = [t for t in tracked if any("5,2 persen" in a.quote for a in t.appearances)]
    assert len(growth) == 1, [[a.quote for a in t.appearances] for t in tracked]
    claim = growth[0]
    assert {a.outlet: a.language for a in claim.appearances} == {"Kompas": "id", "Reuters": "en"}
    quotes = {a.language: a.quote for a in claim.appearances}
    assert quotes["id"] == INDONESIAN and quotes["en"] == ENGLISH  # each quoted as written
    assert claim.outlets == 2
    assert any(f.startswith(CROSSLANG) for f in claim.flags), claim.flags
    shown = claim.to_json()  # shown as an inference, each report in its own language
    assert shown["joined_across_languages_inferred"] and shown["languages"] == ["id", "en"]
    assert {a["language"] for a in shown["appearances"]} == {"id", "en"}
    other = [t for t in tracked if any("fuel subsidies" in a.quote for a in t.appearances)]
    assert len(other) == 1 and len(other[0].appearances) == 1  # her other statement apart


def test_one_statement_in_two_languages_is_one_claim(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    _write(folder, "kompas", INDONESIAN, "Kompas")
    _write(folder, "reuters", f"{ENGLISH}\n\n{OTHER}", "Reuters")
    ingest_paths(settings, [folder], embedder)  # one write: the ledger built
    _assert_one_claim_in_two_languages(_ledger(settings))


def test_the_english_report_joins_the_saved_ledger(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    """The Indonesian report first, the English one in a later write (the ledger updated)."""
    ingest_paths(settings, [_write(tmp_path / "a", "kompas", INDONESIAN, "Kompas")], embedder)
    english = _write(tmp_path / "b", "reuters", f"{ENGLISH}\n\n{OTHER}", "Reuters")
    ingest_paths(settings, [english], embedder)
    _assert_one_claim_in_two_languages(_ledger(settings))


def test_another_number_across_languages_is_another_claim(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    """The same words with another number: in two languages nothing else can tell a
    report that got the number wrong from another statement, so they stay apart."""
    folder = tmp_path / "news"
    _write(folder, "kompas", INDONESIAN, "Kompas")
    _write(folder, "reuters", ENGLISH.replace("5.2", "4.7"), "Reuters")
    ingest_paths(settings, [folder], embedder)
    assert all(len({a.language for a in t.appearances}) == 1 for t in _ledger(settings))


class UncalibratedModel(LocalEmbedder):
    """A model the ledger has no bars for: its cosines may sit on another scale."""

    name = "a-model-without-ledger-bars"


def test_a_model_without_bars_joins_nothing_across_languages(tmp_path: Path) -> None:
    """Its cosines are not known to mean the same statement, so the reports stay apart
    (in one language the shared content words still decide); bars given in the settings
    are used instead, for trying them."""
    folder = tmp_path / "news"
    _write(folder, "kompas", INDONESIAN, "Kompas")
    _write(folder, "reuters", f"{ENGLISH}\n\n{OTHER}", "Reuters")
    model = UncalibratedModel()
    settings = Settings(data_dir=tmp_path / "data")
    ingest_paths(settings, [folder], model)
    assert all(len({a.language for a in t.appearances}) == 1 for t in _ledger(settings))
    bars = LedgerBars(same_claim=1.08, same_passage=1.0, cross_said=0.88)  # e5's, given
    tried = Settings(data_dir=tmp_path / "tried", ledger_bars=bars)
    ingest_paths(tried, [folder], model)
    _assert_one_claim_in_two_languages(_ledger(tried))


def test_other_bars_group_the_saved_ledger_anew(tmp_path: Path) -> None:
    """A write under other bars does not add to a ledger grouped by the old ones: every
    claim is grouped again, so the two reports saved before are joined now."""
    model = UncalibratedModel()
    data = tmp_path / "data"
    folder = tmp_path / "news"
    _write(folder, "kompas", INDONESIAN, "Kompas")
    _write(folder, "reuters", f"{ENGLISH}\n\n{OTHER}", "Reuters")
    ingest_paths(Settings(data_dir=data), [folder], model)
    bars = LedgerBars(same_claim=1.08, same_passage=1.0, cross_said=0.88)
    later = _write(tmp_path / "later", "antara", "Cuaca Jakarta cerah sepanjang hari.", "Antara")
    tried = Settings(data_dir=data, ledger_bars=bars)
    ingest_paths(tried, [later], model)
    _assert_one_claim_in_two_languages(_ledger(tried))
