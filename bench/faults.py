"""Faults and bad input, with counts before and after, for BENCHMARKS.md (issue 6).

    python bench/faults.py

Runs the same scenarios as tests/index/test_resume.py, test_store_server.py and
test_bad_files.py, and prints what was injected and what was counted afterwards.
"""

import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.chain import Bot  # noqa: E402
from index.article import load_article  # noqa: E402
from index.chunk import chunk_article  # noqa: E402
from index.embed import LocalEmbedder  # noqa: E402
from index.errors import BackendError  # noqa: E402
from index.ingest import ingest_paths  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.store import Store  # noqa: E402
from tests.app_process import free_port, kill_ingest_midway, running_chroma  # noqa: E402
from tests.index.test_bad_files import make_folder  # noqa: E402
from tests.index.test_resume import FILES, make_corpus  # noqa: E402


def sigkill_resume(work: Path, embedder: LocalEmbedder) -> str:
    paths = make_corpus(work / "articles")
    settings = Settings(data_dir=work / "data")
    env = {"CLAIMBOT_EMBED_BATCH": "24", "CLAIMBOT_PARSE_WORKERS": "2"}
    kill_ingest_midway(work / "articles", settings.data_dir, FILES // 4, **env)
    killed_at = Store(settings, embedder).count()
    report = ingest_paths(settings, [work / "articles"], embedder)
    expected = sum(len(chunk_article(load_article(p, str(p)))) for p in paths)
    stored = Store(settings, embedder).chunks()
    unique = len({c.id for c in stored})
    return (
        f"| SIGKILL mid-ingest, then re-run ({FILES} files, embedded) | {killed_at} chunks "
        f"when killed | {len(report.unchanged)} files kept, {len(report.indexed)} redone; "
        f"{len(stored)} chunks stored, {unique} distinct, {expected} expected |"
    )


def server_gone(work: Path, embedder: LocalEmbedder) -> str:
    path, port = work / "server", free_port()
    question = "What did Stoltenberg ask of Korea?"
    with running_chroma(path, port) as url:
        settings = Settings(data_dir=work / "data2", chroma_url=url, refresh_seconds=0)
        ingest_paths(settings, [REPO / "seeds"], embedder)
        bot = Bot(settings, embedder)
        before = [(c.source, c.start) for c in bot.ask(question).citations]
        count = bot.store.count()
    try:
        bot.ask(question)
        down = "answered (unexpected)"
    except BackendError as exc:
        down = f"error: “{str(exc).split(';')[0]}”"
    with running_chroma(path, port):
        after = [(c.source, c.start) for c in bot.ask(question).citations]
        count_after = bot.store.count()
    return (
        f"| Chroma server stopped mid-session, then restarted | {down} | "
        f"{len(before)} citations before, {len(after)} after, same: {before == after}; "
        f"chunks {count} → {count_after} |"
    )


def bad_files(work: Path, embedder: LocalEmbedder) -> str:
    files = make_folder(work / "inbox")
    settings = Settings(data_dir=work / "data3")
    report = ingest_paths(settings, [work / "inbox"], embedder)
    skipped = "; ".join(f"{Path(s).name}: {r}" for s, r in report.skipped)
    files["huge"].unlink()
    return (
        f"| Bad-files folder ({len(list((work / 'inbox').rglob('*.*'))) + 1} files) | "
        f"skipped {len(report.skipped)} ({skipped}) | {len(report.indexed)} indexed, "
        f"{len(report.duplicates)} kept as copies of an indexed document |"
    )


def main() -> None:
    embedder = LocalEmbedder()
    embedder.embed_query("warm up")
    print(f"## Run of {date.today()} on {platform.node()} ({platform.machine()}, ", end="")
    print(f"2 cores, Python {platform.python_version()}), `python bench/faults.py`\n")
    print("| fault | what the product did | counted afterwards |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("kill", "gone", "bad"):
            (work / name).mkdir()
        print(sigkill_resume(work / "kill", embedder))
        print(server_gone(work / "gone", embedder))
        print(bad_files(work / "bad", embedder))


if __name__ == "__main__":
    main()
