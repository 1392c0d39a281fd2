"""A data dir that cannot be written: a full disk, a read-only folder. Each says so in one
line naming the folder, leaves nothing half-written, and a second run once there is room
finishes the job. Real file systems: a small tmpfs mounted for the test (needs root)."""

import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chain import Bot
from index.embed import LocalEmbedder
from index.errors import WriteError
from index.ingest import IngestReport, ingest_paths
from index.settings import Settings
from index.store import Store
from index.uploads import Details, keep_uploads
from tests.app_process import clean_env

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _leftovers(folder: Path) -> list[str]:
    return [
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith(".partial")
        or (p.parent.name == "lexical" and p.is_dir() and p.name not in _segments(folder))
    ]


def _segments(folder: Path) -> set[str]:
    manifest = folder / "data" / "lexical" / "manifest.json"
    if not manifest.is_file():
        return set()
    import json

    return set(json.loads(manifest.read_text("utf-8"))["segments"])


def test_a_full_disk_says_so_and_a_second_run_finishes(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    with small_disk(tmp_path / "disk", "8m") as disk:
        settings = Settings(data_dir=disk / "data", min_free_mb=20)
        with pytest.raises(WriteError) as failed:
            ingest_paths(settings, [SEEDS], embedder)
        message = str(failed.value)
        assert "MB free" in message and str(disk / "data") in message and "\n" not in message
        with pytest.raises(WriteError):
            keep_uploads(settings, [SEEDS / "000_5aa4ec63266beb67.txt"], Details())
        assert _leftovers(disk) == [] and not (disk / "data" / "uploads").exists()
        assert _mount("-o", "remount,size=64m", str(disk)).returncode == 0
        report = ingest_paths(settings, [SEEDS], embedder)
        assert len(report.indexed) == 3
        assert Store(settings, embedder).count() == 35
        answer = Bot(settings, embedder).ask("What did Stoltenberg ask of Korea?")
        assert answer.found and answer.citations


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=300,
        cwd=SEEDS.parent, env=clean_env(), check=False,
    )  # fmt: skip


def test_a_read_only_data_dir_says_so_and_works_once_writable(tmp_path: Path) -> None:
    """In processes of their own, as a user runs them: the first ingest leaves no file open,
    so the folder can then be made read-only."""
    with small_disk(tmp_path / "disk", "80m") as disk:
        data = str(disk / "data")
        assert _cli("ingest", "seeds/", "--data-dir", data).returncode == 0
        extra = tmp_path / "more" / "baru.txt"
        extra.parent.mkdir()
        extra.write_text("Menteri itu mengatakan bahwa rapat ditunda hingga pekan depan.", "utf-8")
        assert _mount("-o", "remount,ro", str(disk)).returncode == 0
        refused = _cli("ingest", str(extra), "--data-dir", data)
        assert refused.returncode == 1, refused.stderr
        assert "cannot be written" in refused.stderr and data in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        with pytest.raises(WriteError) as upload:
            keep_uploads(Settings(data_dir=disk / "data"), [extra], Details())
        assert "cannot be written" in str(upload.value)
        # Chroma's SQLite cannot even open a read-only folder to read: said the same way.
        blocked = _cli("ask", "What did Stoltenberg ask of Korea?", "--data-dir", data)
        assert blocked.returncode == 1 and "cannot be written" in blocked.stderr
        assert len(blocked.stderr.strip().splitlines()) == 1, blocked.stderr
        assert _mount("-o", "remount,rw", str(disk)).returncode == 0
        assert _cli("ingest", str(extra), "--data-dir", data).returncode == 0
        answer = _cli("ask", "What did Stoltenberg ask of Korea?", "--data-dir", data)
        assert answer.returncode == 0 and "Stoltenberg" in answer.stdout, answer.stderr


def test_a_disk_that_fills_in_the_middle_of_a_write_says_so_and_the_process_goes_on(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    """The room checked before a batch is there, and the batch fills the disk: Chroma's own
    message names no cause, the error must; and a bot in the same process (a server taking
    an upload) still answers, and writes there again once there is room."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(8):  # one batch: the seeds, told apart, far over the room left
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text("utf-8")
            (articles / f"{n}_{seed.name}").write_text(f"Salinan {n}.\n\n{text}", "utf-8")
    with small_disk(tmp_path / "disk", "2m") as disk:
        settings = Settings(
            data_dir=disk / "data", min_free_mb=0.6, embed_batch=10_000, refresh_seconds=0
        )
        ingest_paths(settings, [SEEDS / "000_5aa4ec63266beb67.txt"], embedder)
        bot = Bot(settings, embedder)
        assert bot.ask("What did Stoltenberg ask of Korea?").citations
        with pytest.raises(WriteError) as failed:
            ingest_paths(settings, [articles], embedder)
        message = str(failed.value)
        assert "is full" in message and str(disk / "data") in message and "\n" not in message
        assert _leftovers(disk) == []
        assert _mount("-o", "remount,size=200m", str(disk)).returncode == 0
        # (before any read: a reader's fresh look would hide a writer left stuck)
        reports: list[IngestReport] = []
        again = threading.Thread(
            target=lambda: reports.append(ingest_paths(settings, [articles], embedder)),
            daemon=True,  # a write stuck behind the failed one would never return
        )
        again.start()
        again.join(timeout=300)
        assert reports and len(reports[0].indexed) == 24, "the second write did not finish"
        assert bot.ask("What did Stoltenberg ask of Korea?").citations
        assert bot.store.count() == Store(settings, embedder).count() > 35
