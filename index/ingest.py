"""Ingest: files on disk -> articles -> chunks -> vectors in the store, incrementally.

Files stream through three steps: parse (read, clean, chunk, find claims; optionally in
worker processes), embed (texts from several files in one batch) and write (one
store call per batch). At most a bounded number of parsed files wait in memory. Each file's
chunks carry its hash and chunk count, so a run killed at any point leaves files either
complete or visibly incomplete, and the next run redoes only the latter.
"""

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import Timeout

from index.article import SUFFIXES, file_sha
from index.client import check_room, free_mb, write_failure
from index.embed import Embedder
from index.errors import ArticleError, IndexBusyError
from index.feeds import FEED_SUFFIXES, expand_feed, is_feed
from index.ledger_write import write_ledger
from index.lexical import Row, lexical_dir, read_manifest, write_lexical
from index.lock import writer_lock
from index.metadata import (
    language_model_dir,
    language_model_mb,
    open_language_model,
    save_language_model,
)
from index.parse import Parsed, parse_file
from index.sandbox import Sandbox, result, worker_pool
from index.settings import Settings
from index.store import Entry, FileState, Store
from index.tracked import (
    ledger_dir,
    saved_generation,
)

# (source just handled, files done, files in all)
Progress = Callable[[str, int, int], None]
ACCEPTED = (*SUFFIXES, *FEED_SUFFIXES)  # feeds are read as one article per item
WORKER_THRESHOLD = 32  # fewer files than this are parsed in-process: no pool start-up cost

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingest run did."""

    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, same text as)
    chunks_written: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Article files under `paths` (folders recursively), and the named paths that are not."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in ACCEPTED and not p.name.startswith(".")
            )
        elif path.is_file():
            found.append(path)
        else:
            skipped.append((str(path), "no such file or folder"))
    return list(dict.fromkeys(found)), skipped


def ingest_paths(
    settings: Settings,
    paths: Sequence[Path],
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    given_up: Mapping[str, tuple[str, str]] | None = None,
) -> IngestReport:
    """Index `paths` into the store; one writer at a time per data dir. `given_up` holds
    files known not to index, each with the hash it had and the reason: skipped unread
    while that is still their hash."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = writer_lock(settings)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IndexBusyError(
                f"Another ingest is writing to {settings.data_dir}/; wait for it to finish "
                "(one writer at a time keeps the index from corrupting)."
            ) from exc
        try:
            with Sandbox(settings) as sandbox:
                run = _Run(settings, embedder, progress, rebuild, sandbox)
                run.given_up = dict(given_up or {})
                return run.run(paths, rebuild)
        finally:
            lock.release()
    except OSError as exc:  # our own files: the lock, the reader files, feed items
        failure = write_failure(
            Path(exc.filename).parent if exc.filename else settings.data_dir,
            f"{exc.strerror} {exc}",
        )
        if failure is None:
            raise
        raise failure from exc


class _Run:
    """One ingest run: the store, what it held at the start, and the batch being built."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        progress: Progress | None,
        rebuild: bool = False,
        sandbox: Sandbox | None = None,
    ) -> None:
        self.settings = settings
        self.sandbox = sandbox  # reads PDF, Word, web pages and feeds, bounded
        self.given_up: dict[str, tuple[str, str]] = {}  # file -> (hash, why it was)
        self.embedder = embedder
        self.progress = progress
        self.report = IngestReport()
        self.store = Store(settings, embedder, create=True, rebuild=rebuild)
        self.batch: list[Parsed] = []
        self.batch_texts = 0
        self.copies: list[tuple[Parsed, str]] = []  # settled once every document is written
        self.content: dict[str, str] = {}  # document source -> hash of its body text now
        self.documents: dict[str, str] = {}  # body hash -> the source that holds that text
        self.rows: list[Row] = []  # chunks written, for the readers' files
        self.dropped: list[str] = []  # documents dropped

    def run(self, paths: Sequence[Path], rebuild: bool) -> IngestReport:
        started = time.perf_counter()
        before = self.store.generation()
        self.store.mark_last_chunks()  # an index from before the marks: once
        states = self.store.file_states()
        files, self.report.skipped = find_files(paths)
        self.report.removed = _gone(states, paths, {str(p) for p in files})
        files = self._expand_feeds(files)
        self.dropped += self.store.remove(self.report.removed)
        for source, state in states.items():
            if state.complete and state.document == source and source not in self.report.removed:
                self.content[source] = state.content
                self.documents[state.content] = source
        for done, parsed in enumerate(self._parse_all(files, states), start=1):
            self._take(parsed)
            if self.progress:
                self.progress(parsed.source, done, len(files))
        self._flush()
        self._settle_copies()
        self.report.warnings += write_reader_files(
            self.settings, self.store, self.rows, self.dropped, before, rebuild
        )
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _expand_feeds(self, files: list[Path]) -> list[Path]:
        """Each feed in `files` replaced by the article files of its items."""
        out: list[Path] = []
        for path in files:
            if not is_feed(path):
                out.append(path)
                continue
            try:
                out += expand_feed(self.settings, path, self.sandbox)
            except ArticleError as exc:
                self.report.skipped.append((str(path), str(exc)))
        return list(dict.fromkeys(out))

    def _parse_all(self, files: list[Path], states: dict[str, FileState]) -> Iterator[Parsed]:
        """Parsed files in order; in worker processes for large runs, a bounded window ahead."""
        workers = self.settings.parse_workers
        if len(files) < WORKER_THRESHOLD or workers == 1:
            for path in files:
                yield self._given_up(path) or parse_file(
                    self.settings, path, _known_sha(path, states), self.sandbox
                )
            return
        pool = worker_pool(self.settings, workers)  # each file bounded in time and memory
        try:
            window: deque[tuple[Path, Any]] = deque()
            for path in files:
                known = _known_sha(path, states)
                task = self._given_up(path) or pool.submit(
                    parse_file, self.settings.parse_seconds, self.settings, path, known
                )
                window.append((path, task))
                if len(window) >= workers * 4:
                    yield self._parsed(*window.popleft())
            while window:
                yield self._parsed(*window.popleft())
        finally:
            pool.stop()  # type: ignore[no-untyped-call]
            pool.join(timeout=10)

    def _given_up(self, path: Path) -> Parsed | None:
        """The file as skipped before, when it is given up and has not changed since."""
        sha, reason = self.given_up.get(str(path), ("", ""))
        try:
            if sha and file_sha(path.read_bytes()) == sha:
                return Parsed(source=str(path), sha=sha, error=reason)
        except OSError:
            return None
        return None

    def _parsed(self, path: Path, task: Any) -> Parsed:
        if isinstance(task, Parsed):  # given up before
            return task
        try:
            parsed: Parsed = result(self.settings, task)
        except ArticleError as exc:  # out of time or memory
            return Parsed(source=str(path), error=str(exc))
        return parsed

    def _take(self, parsed: Parsed) -> None:
        """Route one parsed file: skipped, unchanged, a copy, or into the batch."""
        self.report.warnings += parsed.warnings
        if parsed.error:
            self.report.skipped.append((parsed.source, parsed.error))
            self.content.pop(parsed.source, None)
            # a file that turned bad keeps no stale chunks
            self.dropped += self.store.remove([parsed.source])
            return
        if parsed.article is None:
            self.report.unchanged.append(parsed.source)
            return
        document = self.documents.get(parsed.content)
        if document is not None and document != parsed.source:
            self.copies.append((parsed, document))
            return
        self.documents[parsed.content] = parsed.source
        self._add(parsed)

    def _add(self, parsed: Parsed) -> None:
        self.batch.append(parsed)
        self.batch_texts += len(parsed.chunks)
        if self.batch_texts >= self.settings.embed_batch:
            self._flush()

    def _flush(self) -> None:
        """Embed the batch's texts in one call and write them in one store call."""
        if not self.batch:
            return
        check_room(self.settings)
        texts = [p.texts() for p in self.batch]
        vectors = self.embedder.embed_passages([t for file in texts for t in file])
        entries = []
        offset = 0
        for parsed, own in zip(self.batch, texts, strict=True):
            chunk_vectors, claim_vectors, said_vectors = parsed.split(
                vectors[offset : offset + len(own)]
            )
            offset += len(own)
            assert parsed.article is not None
            entries.append(
                Entry(
                    parsed.article,
                    parsed.chunks,
                    chunk_vectors,
                    parsed.claims,
                    claim_vectors,
                    parsed.content,
                    said_vectors,
                )
            )
        self.dropped += self.store.replace_many(entries)
        for parsed in self.batch:
            assert parsed.article is not None
            self.rows += [Row(c.id, parsed.article.doc_id, c.text) for c in parsed.chunks]
            self.report.indexed.append(parsed.source)
            self.report.chunks_written += len(parsed.chunks)
            self.content[parsed.source] = parsed.content
        self.batch, self.batch_texts = [], 0

    def _settle_copies(self) -> None:
        """Record each copy on its document if that still holds the same text; else index it."""
        for parsed, document in self.copies:
            if self.content.get(document) == parsed.content:
                self.store.add_copy(document, parsed.source, parsed.sha)
                self.report.duplicates.append((parsed.source, document))
                continue
            holder = self.documents.get(parsed.content)
            if holder is not None and self.content.get(holder) == parsed.content:
                self.store.add_copy(holder, parsed.source, parsed.sha)
                self.report.duplicates.append((parsed.source, holder))
                continue
            self.documents[parsed.content] = parsed.source
            self.content[parsed.source] = parsed.content
            self._add(parsed)
        self._flush()


def write_reader_files(
    settings: Settings,
    store: Store,
    rows: Sequence[Row],
    dropped: Sequence[str],
    before: str,
    rebuild: bool = False,
) -> list[str]:
    """Bring the files readers open at start up to date with the store (`index/lexical.py`):
    one segment for what this write did, or all anew when the files did not reflect the
    store as it was before it (`before`, its generation then); the saved ledger; and the
    language model, unpacked once for readers to map. Returns warnings for the report."""
    folder = lexical_dir(settings.data_dir)
    manifest = read_manifest(folder)
    now = store.generation()
    stale = rebuild or manifest is None or manifest["generation"] != before
    if stale or now != before:
        write_lexical(folder, rows, dropped, now, store.rows, rebuild=stale)
    warnings = []
    if saved_generation(ledger_dir(settings.data_dir)) != now:
        changed = {r.doc_id for r in rows} | set(dropped)
        warnings = write_ledger(settings, store, changed, before, now, rebuild)
    save_model_for_readers(settings)
    return warnings


def save_model_for_readers(settings: Settings) -> None:
    """The language model unpacked in the data dir, when the disk has room for it beside the
    room a write keeps free: a speed-up (readers map it instead of unpacking 70 MB at each
    start), never a reason for a write to fail. Without it readers unpack the packed model."""
    folder = language_model_dir(settings.data_dir)
    if open_language_model(folder) is not None:
        return
    if free_mb(settings) - language_model_mb() < settings.min_free_mb:
        log.info("No room for the unpacked language model in %s: readers unpack it", folder)
        return
    save_language_model(folder)


def _known_sha(path: Path, states: dict[str, FileState]) -> str | None:
    """The hash under which `path` is fully indexed, if it can be trusted; else None.

    A copy is only as good as its document: if that file changed or is gone, parse again.
    """
    state = states.get(str(path))
    if state is None or not state.complete:
        return None
    if state.document != str(path):
        document = states.get(state.document)
        try:
            if document is None or file_sha(Path(state.document).read_bytes()) != document.sha:
                return None
        except OSError:
            return None
    return state.sha


def _gone(states: dict[str, FileState], roots: Sequence[Path], found: set[str]) -> list[str]:
    """Indexed files under the given folders that no longer exist."""
    folders = [str(r).rstrip("/") + "/" for r in roots if r.is_dir()]
    return sorted(
        s
        for s in states
        if s not in found and any(s.startswith(f) for f in folders) and not Path(s).exists()
    )
