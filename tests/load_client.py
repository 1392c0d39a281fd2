"""Many users on one running app: chat sessions and uploads through the page's own API.

Each session is its own `gradio_client.Client` calling the chat event the browser calls
(`/ask`) and keeping its own history, so follow-ups are real follow-ups. One more
client uploads new articles through the page's upload event (`/upload`, then the claims
refresh the page runs after it), so an ingest runs in the server while the sessions ask.
Shared by tests/bot/test_load.py and bench/load.py.
"""

import concurrent.futures
import math
import re
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from gradio_client import Client, handle_file

from bot.web.answers_view import escape_markdown, unescape_markdown
from index.embed import LocalEmbedder
from index.settings import Settings
from index.store import Store

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
REQUEST_TIMEOUT = 30.0  # one chat answer or one upload; a request slower than this failed
# Conversations the sessions cycle through: a question, then follow-ups that lean on it.
CONVERSATIONS = [
    ["What did Stoltenberg ask of Korea?", "and Japan?", "Why?"],
    ["Apa kata Stoltenberg tentang mitra Indo-Pasifik?", "Bagaimana dengan Ukraina?"],
    [
        "Who denied the accusations against North Korea, and what did they say?",
        "What did they warn?",
    ],
    ["Why can South Korea not send weapons to Ukraine directly?", "and Germany?"],
    ["Which claims were reported by more than one outlet?", "Which are disputed?"],
    ["Siapa yang membantah tudingan tersebut?", "Apa kata Kwon Jong-gun?"],
    ["What did Emmanuel Macron say about Korea?"],  # not in the articles: still an answer
]
_PASSAGES = re.compile(r"Indexed 1 file\(s\), (\d+) passage\(s\)")


@dataclass
class Tally:
    """What one client saw: the time of every request and a line per failed one."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    uploaded: dict[str, int] = field(default_factory=dict)  # file name -> passages written

    def add(self, other: "Tally") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.uploaded.update(other.uploaded)


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    chat: Tally
    uploads: Tally
    upload_files: int
    per_session: list[int]  # requests each session made

    def summary(self) -> dict[str, Any]:
        times = sorted(self.chat.latencies)
        return {
            "sessions": self.sessions,
            "seconds": round(self.seconds, 1),
            "requests": len(times),
            "fewest_per_session": min(self.per_session, default=0),
            "errors": len(self.chat.errors),
            "p50_ms": round(1000 * statistics.median(times)) if times else None,
            "p95_ms": round(1000 * percentile(times, 95)) if times else None,
            "max_ms": round(1000 * times[-1]) if times else None,
            "uploads": len(self.uploads.uploaded),
            "upload_files": self.upload_files,
            "upload_errors": len(self.uploads.errors),
            "upload_p95_ms": round(1000 * percentile(sorted(self.uploads.latencies), 95))
            if self.uploads.latencies
            else None,
            "passages_uploaded": sum(self.uploads.uploaded.values()),
            "error_samples": (self.chat.errors + self.uploads.errors)[:10],
        }


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(1, math.ceil(len(ordered) * q / 100)) - 1]


def reply_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def check_reply(question: str, before: int, history: list[dict[str, Any]]) -> str | None:
    """Why this chat reply is a failure, or None when it is an answer."""
    if len(history) != before + 2:
        return f"{question!r}: history has {len(history)} messages, expected {before + 2}"
    shown = unescape_markdown(reply_text(history[-2])).strip()  # the chat shows it escaped
    if history[-2].get("role") != "user" or shown != question:
        return f"{question!r}: the reply is to another question: {history[-2]!r:.200}"
    answer = reply_text(history[-1]).strip()
    if history[-1].get("role") != "assistant" or answer in ("", "…"):
        return f"{question!r}: no answer"
    if answer.startswith("**⚠"):  # the page's error message
        return f"{question!r}: {answer[:200]}"
    return None


def run_session(url: str, number: int, deadline: float) -> Tally:
    """One user: ask, follow up, start a new conversation, until the deadline."""
    tally = Tally()
    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    turn = number
    try:
        while time.monotonic() < deadline:
            history: list[dict[str, Any]] = []
            for question in CONVERSATIONS[turn % len(CONVERSATIONS)]:
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    job = client.submit(question, history, api_name="/ask")
                    _, reply = job.result(timeout=REQUEST_TIMEOUT)
                    problem = check_reply(question, len(history), reply)
                except Exception as exc:  # anything the client raises is a failed request
                    reply, problem = history, f"{question!r}: {type(exc).__name__}: {exc}"
                tally.latencies.append(time.perf_counter() - started)
                if problem:
                    tally.errors.append(problem)
                    break
                history = reply
            turn += 1
    finally:
        client.close()
    return tally


def run_uploads(url: str, files: list[Path], started: float, seconds: float) -> Tally:
    """Upload the files one at a time, spread over the run, as a user on the page would."""
    tally = Tally()
    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    interval = seconds / (len(files) + 1)
    try:
        for n, path in enumerate(files, start=1):
            # pacing the uploads across the run, not waiting for a result
            time.sleep(max(0.0, started + n * interval - time.monotonic()))
            began = time.perf_counter()
            try:
                job = client.submit([handle_file(str(path))], "", "", "", api_name="/upload")
                report, *_ = job.result(timeout=REQUEST_TIMEOUT)
            except Exception as exc:
                tally.errors.append(f"upload {path.name}: {type(exc).__name__}: {exc}")
                continue
            finally:
                tally.latencies.append(time.perf_counter() - began)
            written = _PASSAGES.search(str(report))
            if written and f"✓ {escape_markdown(path.name)}" in str(report):
                tally.uploaded[path.name] = int(written.group(1))
            else:
                tally.errors.append(f"upload {path.name}: {str(report)[:200]}")
    finally:
        client.close()
    return tally


def run_load(url: str, sessions: int, seconds: float, files: list[Path]) -> LoadResult:
    """`sessions` chat users for `seconds`, with the files uploaded during the run."""
    started = time.monotonic()
    deadline = started + seconds
    with ThreadPoolExecutor(max_workers=sessions + 1) as pool:
        uploads = pool.submit(run_uploads, url, files, started, seconds)
        chats = [pool.submit(run_session, url, n, deadline) for n in range(sessions)]
        tallies = [future.result() for future in chats]
        upload = uploads.result()
    chat = Tally()
    for tally in tallies:
        chat.add(tally)
    per_session = [len(t.latencies) for t in tallies]
    return LoadResult(sessions, time.monotonic() - started, chat, upload, len(files), per_session)


def write_articles(folder: Path, count: int) -> list[Path]:
    """New small Indonesian articles: seed paragraphs under a title and lead of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = [
        line
        for seed in sorted(SEEDS.glob("*.txt"))
        for line in seed.read_text(encoding="utf-8").splitlines()
        if len(line) > 150
    ]
    files = []
    for n in range(1, count + 1):
        town = f"Karangjati{n:02d}"
        body = [paragraphs[(3 * n + k) % len(paragraphs)] for k in range(4)]
        text = "\n".join(
            [
                f"Warga {town} Ikuti Kabar Kunjungan Sekjen NATO ke Asia",
                f"{town} (ANTARA) - Warga desa {town} mengatakan bahwa mereka mengikuti "
                f"kabar kunjungan Sekretaris Jenderal NATO ke Asia dengan saksama.",
                *body,
            ]
        )
        path = folder / f"uji-beban-{n:02d}.txt"  # no markdown characters in the name
        path.write_text(text + "\n", encoding="utf-8")
        files.append(path)
    return files


@dataclass(frozen=True)
class IndexCounts:
    """What an index holds, read straight from its store (the app must be stopped)."""

    articles: int
    chunks: int
    claims: int
    chunk_ids: frozenset[str]
    claim_ids: frozenset[str]
    sources: frozenset[str]


def count_index(data_dir: Path) -> IndexCounts:
    store = Store(Settings(data_dir=data_dir), LocalEmbedder())
    chunks = store.chunks()
    claims = store.claims()
    return IndexCounts(
        articles=len({c.meta["doc_id"] for c in chunks}),
        chunks=len(chunks),
        claims=len(claims),
        chunk_ids=frozenset(c.id for c in chunks),
        claim_ids=frozenset(c.id for c in claims),
        sources=frozenset(str(c.meta["source"]) for c in chunks),
    )


def copy_index(source: Path, target: Path) -> Path:
    """A private copy of an index for one server; the source stays untouched."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("ingest.lock", "uploads"))
    return target


def ask_page(
    url: str, question: str, history: list[dict[str, Any]] | None = None, **client: Any
) -> tuple[str, list[dict[str, Any]]]:
    """Ask through the page's chat event as the browser does: (the reply's text, history)."""
    session = Client(url, verbose=False, analytics_enabled=False, **client)
    try:
        _, reply = session.predict(question, history or [], api_name="/ask")
    finally:
        session.close()
    return reply_text(reply[-1]), reply


def settled(job: Any) -> str:
    """A submitted question's reply text; "429" when the app turned it away before the
    queue; "dropped" when gradio_client lost it (its event stream for a session that has
    hundreds of jobs in flight closes between events)."""
    try:
        return reply_text(job.result(timeout=120)[1][-1])
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code != 429:
            raise
        return "429"
    except concurrent.futures.CancelledError:
        return "dropped"
