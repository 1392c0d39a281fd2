"""A running app stays in step with its store: another process's ingest, `--rebuild`, a
store that disappears. The real app, the real CLI in other processes, over HTTP."""

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from index.settings import Settings
from tests.app_process import DENIAL_ARTICLE, REPO, clean_env, running_app
from tests.load_client import ask_page, copy_index

REFRESH = "0.5"
PICKED_UP_WITHIN = 15.0  # s: the refresh interval plus a reload, on a slow machine


def health(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def ingest(data_dir: Path, *args: str) -> None:
    command = [sys.executable, "-m", "bot", "ingest", *args, "--data-dir", str(data_dir)]
    done = subprocess.run(command, cwd=REPO, env=clean_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def articles_become(url: str, count: int) -> dict[str, Any]:
    deadline = time.monotonic() + PICKED_UP_WITHIN
    while True:
        status, body = health(url)
        if status == 200 and body["articles"] == count:
            return body
        assert time.monotonic() < deadline, (status, body)
        time.sleep(0.2)  # polling the app's own health route, not waiting on a guess


def test_ingest_and_rebuild_from_another_process_reach_a_running_app(
    seeded: Settings, tmp_path: Path
) -> None:
    data_dir = copy_index(seeded.data_dir, tmp_path / "data")
    article = tmp_path / "new" / "singapura.txt"
    article.parent.mkdir()
    article.write_text(
        "Menteri Pertahanan Singapura Ng Eng Hen mengatakan pada Selasa bahwa negaranya akan "
        "membeli delapan kapal selam baru untuk menjaga Selat Malaka.\n",
        encoding="utf-8",
    )
    question = "How many submarines will Singapore buy?"
    with running_app(data_dir, CLAIMBOT_REFRESH_SECONDS=REFRESH) as url:
        assert health(url) == (
            200,
            {"ok": True, "articles": 3, "mode": "evidence", "page": "ready"},
        )
        before, _ = ask_page(url, question)
        assert "kapal selam" not in before

        ingest(data_dir, str(article))  # the CLI, beside the running app, same data dir
        articles_become(url, 4)
        after, _ = ask_page(url, question)
        assert "delapan kapal selam" in after

        ingest(data_dir, "--rebuild", "seeds/000_5aa4ec63266beb67.txt")
        articles_become(url, 1)
        korea, _ = ask_page(url, "What did Stoltenberg ask of Korea?")
        assert "/source/" in korea and "kapal selam" not in korea
        singapore, _ = ask_page(url, question)
        assert "kapal selam" not in singapore

        shutil.rmtree(data_dir / "chroma")
        status, body = health(url)
        assert status == 503 and not body["ok"] and "ingest" in body["error"]
        assert str(tmp_path) not in str(body)  # /healthz is open: it names no server path
        gone, _ = ask_page(url, "What did Stoltenberg ask of Korea?")
        assert gone.startswith("**⚠") and "cannot be read" in gone
        assert str(tmp_path) not in gone  # the page never shows a server path
    log = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("app-*.log"))
    assert "Traceback" not in log, log[-3000:]


def test_a_ledger_saved_after_its_chunks_reaches_a_loaded_bot(
    seeded: Settings, embedder: Any, tmp_path: Path
) -> None:
    """A writer saves the ledger after its chunks: a reader that looked in between, and
    saw the new article with the old ledger, shows the new claims once it is saved."""
    from bot.chain import Bot
    from index.ingest import ingest_paths
    from index.tracked import ledger_dir

    data_dir = copy_index(seeded.data_dir, tmp_path / "data")
    settings = Settings(data_dir=data_dir, refresh_seconds=0)
    reader = Bot(settings, embedder)
    old = tmp_path / "old-ledger"
    shutil.copytree(ledger_dir(data_dir), old)
    article = tmp_path / "in" / "bantahan.txt"
    article.parent.mkdir()
    article.write_text(DENIAL_ARTICLE, encoding="utf-8")
    ingest_paths(settings, [article], embedder)
    new = tmp_path / "new-ledger"
    shutil.move(ledger_dir(data_dir), new)
    shutil.copytree(old, ledger_dir(data_dir))  # the moment between chunks and ledger

    reader.refresh()
    assert "Nasser Kanaani" not in {t.speaker for t in reader.ledger}
    seen = reader.generation
    shutil.rmtree(ledger_dir(data_dir))
    shutil.move(new, ledger_dir(data_dir))  # the writer saves its ledger
    reader.refresh()
    assert reader.generation != seen  # the page's cue to draw the Claims tab again
    assert "Nasser Kanaani" in {t.speaker for t in reader.ledger}
