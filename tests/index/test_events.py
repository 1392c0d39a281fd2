"""What each write changed in the ledger, as events in an append-only file (issue 35,
point 3): real ingest into a real store; read back by another process (`claims --since`)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from index.embed import LocalEmbedder
from index.events import (
    ANOTHER_OUTLET,
    NEW_CLAIM,
    NEW_DISPUTE,
    NUMBERS_DIFFER,
    append_events,
    read_events,
)
from index.ingest import ingest_paths
from index.settings import Settings
from index.tracked import ledger_dir
from tests.app_process import clean_env

REPO = Path(__file__).resolve().parents[2]
SENTENCE = (
    "Menteri Keuangan Sri Wahyuni mengatakan gaji guru honorer akan naik {n} persen mulai "
    "Januari tahun depan."
)


def _article(folder: Path, name: str, outlet: str, n: str, date: str = "2024-05-02") -> None:
    text = f"Gaji Guru Honorer\n\n{SENTENCE.format(n=n)}\n\nBerita dari {outlet}.\n"
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    sidecar = {"outlet": outlet, "date": date, "title": f"Gaji guru ({outlet})"}
    (folder / f"{name}.json").write_text(json.dumps(sidecar), encoding="utf-8")


def _kinds(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["kind"], e["outlet"]) for e in events if "gaji guru" in e["text"]]


def test_each_write_records_what_it_changed_once(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    _article(folder, "detik", "detikcom", "5")
    _article(folder, "cnn", "CNN Indonesia", "5")
    ingest_paths(settings, [folder], embedder)
    first = read_events(ledger_dir(settings.data_dir))
    assert _kinds(first) == [(NEW_CLAIM, "CNN Indonesia"), (ANOTHER_OUTLET, "detikcom")]
    assert "Sri Wahyuni" in first[0]["detail"] and first[0]["at"].endswith("+00:00")

    _article(folder, "kompas", "Kompas", "5", date="2024-05-03")
    _article(folder, "tempo", "Tempo", "7", date="2024-05-03")  # another number
    ingest_paths(settings, [folder], embedder)
    second = read_events(ledger_dir(settings.data_dir))[len(first) :]
    assert {e["kind"] for e in second} >= {ANOTHER_OUTLET, NUMBERS_DIFFER}
    assert NEW_CLAIM not in {e["kind"] for e in second if "gaji guru" in e["text"]}
    numbers = next(e for e in second if e["kind"] == NUMBERS_DIFFER)
    assert numbers["detail"].startswith("The outlets give different numbers")

    ingest_paths(settings, [folder], embedder)  # nothing changed
    ingest_paths(settings, [folder], embedder, rebuild=True)  # the same articles anew
    assert len(read_events(ledger_dir(settings.data_dir))) == len(first) + len(second)


def test_a_new_denial_is_a_new_dispute_and_events_outlive_the_process(
    settings: Settings, embedder: LocalEmbedder
) -> None:
    """The seeds one by one: kumparan's article brings Korut's denial of what Stoltenberg
    said in Medcom's. Another process lists the events since a date, and as JSON."""
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    ingest_paths(settings, [Path("seeds") / seeds[0].name], embedder)
    before = len(read_events(ledger_dir(settings.data_dir)))
    ingest_paths(settings, [Path("seeds") / seeds[1].name], embedder)
    later = read_events(ledger_dir(settings.data_dir))[before:]
    dispute = next(e for e in later if e["kind"] == NEW_DISPUTE)
    assert dispute["speaker"] == "Korut" and "Stoltenberg" in dispute["detail"]
    assert any(e["kind"] == ANOTHER_OUTLET and e["outlet"] == "kumparan" for e in later)

    def claims(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot", "claims", *args]
        return subprocess.run(
            [*command, "--data-dir", str(settings.data_dir)],
            cwd=REPO,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    listed = claims("--since", "2000-01-01", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == read_events(ledger_dir(settings.data_dir))
    text = claims("--since", "2000-01-01", "--speaker", "North Korea").stdout
    assert "new dispute" in text and "Korut's denial" in text
    assert "No changes to the ledger since 2999-01-01" in claims("--since", "2999-01-01").stdout
    bad = claims("--since", "last week")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_a_write_stopped_after_its_events_does_not_append_them_twice(tmp_path: Path) -> None:
    events = [{"id": "e1", "at": "2026-01-01T00:00:00+00:00", "kind": NEW_CLAIM}]
    assert append_events(tmp_path, events) == 1
    assert append_events(tmp_path, events) == 0
    with (tmp_path / "events.jsonl").open("a", encoding="utf-8") as out:
        out.write('{"id": "e2", "at": "2026-')  # a line cut short by a stop
    assert [e["id"] for e in read_events(tmp_path)] == ["e1"]
