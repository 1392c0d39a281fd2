"""Server mode: the same app on a real `chroma run`, and what happens when it is not there."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.chain import Bot
from bot.web.chat import respond
from index.embed import LocalEmbedder
from index.errors import BackendError
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store
from tests.app_process import REPO, clean_env, free_port, running_chroma

QUESTIONS = [
    "What did Stoltenberg ask of Korea?",
    "Apa yang diminta Stoltenberg dari Korea Selatan?",
    "Does North Korea supply weapons to Russia?",
    "What did Germany and Norway change?",
    "What is the capital of Peru?",
]


def cited(bot: Bot, question: str) -> list[tuple[str, int, int]]:
    return [(c.source, c.start, c.end) for c in bot.ask(question).citations]


@pytest.mark.slow
def test_same_citations_embedded_and_on_a_chroma_server(
    bot: Bot, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    with running_chroma(tmp_path / "server") as url:
        settings = Settings(data_dir=tmp_path / "data", chroma_url=url)
        report = ingest_paths(settings, [Path("seeds")], embedder)
        assert len(report.indexed) == 3
        remote = Bot(settings, embedder)
        assert remote.store.count() == bot.store.count()
        for question in QUESTIONS:
            assert cited(remote, question) == cited(bot, question), question
        assert cited(bot, QUESTIONS[0])  # the comparison is not between two empty lists
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to a local store


def test_a_server_that_is_down_is_an_error_not_an_empty_index(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(data_dir=tmp_path / "data", chroma_url=url)
    with pytest.raises(BackendError, match=rf"Chroma server at {url} did not answer.*chroma run"):
        ingest_paths(settings, [Path("seeds")], embedder)
    with pytest.raises(BackendError, match="did not answer"):
        Store(settings, embedder)
    assert not (tmp_path / "data" / "chroma").exists()

    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "Who is Kwon Jong-gun?", "--chroma-url", url],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: The Chroma server at {url}")


@pytest.mark.slow
def test_answers_resume_when_the_server_is_back(tmp_path: Path, embedder: LocalEmbedder) -> None:
    path, port = tmp_path / "server", free_port()
    question = QUESTIONS[0]
    with running_chroma(path, port) as url:
        settings = Settings(data_dir=tmp_path / "data", chroma_url=url, refresh_seconds=0)
        ingest_paths(settings, [Path("seeds")], embedder)
        bot = Bot(settings, embedder)
        before = cited(bot, question)
        assert before
    # The server is gone mid-session: a clear error, and the chat keeps the question.
    with pytest.raises(BackendError, match=f"Chroma server at {url} did not answer"):
        bot.ask(question)
    *_, (_, history) = respond(bot, question, [])
    assert history[0] == {"role": "user", "content": question}
    # The page says so in a line of its own; the server's address stays in the log.
    assert "cannot be read right now" in history[-1]["content"]
    assert url not in history[-1]["content"]
    with running_chroma(path, port):
        assert cited(bot, question) == before


@pytest.mark.slow
def test_every_app_process_sees_another_writers_articles(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    """BM25 lives in each app process; the store's generation stamp keeps it in step."""
    with running_chroma(tmp_path / "server") as url:
        settings = Settings(data_dir=tmp_path / "data", chroma_url=url, refresh_seconds=0)
        ingest_paths(settings, [Path("seeds/004_245cae90d7e48221.txt")], embedder)
        bot = Bot(settings, embedder)
        assert bot.corpus.articles == 1
        # Another process (here: another writer with its own data dir) adds the rest.
        other = Settings(data_dir=tmp_path / "elsewhere", chroma_url=url)
        ingest_paths(other, [Path("seeds")], embedder)
        answer = bot.ask("Siapa Kwon Jong-gun?")
        assert bot.corpus.articles == 3
        assert any("Kwon Jong-gun" in c.quote for c in answer.citations)


def test_the_token_goes_to_the_proxy_as_a_bearer_header(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    """An authenticating proxy in front of Chroma sees the token; here it refuses (401)."""
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Proxy) as proxy:
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        settings = Settings(data_dir=tmp_path / "data", chroma_url=url, chroma_token="tok-123")
        with pytest.raises(BackendError, match=f"Chroma server at {url} did not answer"):
            Store(settings, embedder)
        proxy.shutdown()
    assert seen and set(seen) == {"Bearer tok-123"}
