"""Ingest: files on disk -> articles -> chunks -> vectors in the store, incrementally."""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from index.article import SUFFIXES, file_sha, load_article
from index.chunk import chunk_article, searchable_text
from index.claims import extract_claims
from index.embed import Embedder
from index.errors import ArticleError, IndexBusyError, LLMError
from index.llm_claims import ask_for_claims, verified_claims
from index.settings import Settings
from index.store import Store

# (source just handled, files done, files in all)
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What one ingest run did."""

    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
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
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
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
) -> IngestReport:
    """Index `paths` into the store under the data dir; one writer at a time."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.data_dir / "ingest.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise IndexBusyError(
            f"Another ingest is writing to {settings.data_dir}/; wait for it to finish "
            "(one writer at a time keeps the index from corrupting)."
        ) from exc
    try:
        return _ingest(settings, paths, embedder, rebuild, progress)
    finally:
        lock.release()


def _ingest(
    settings: Settings,
    paths: Sequence[Path],
    embedder: Embedder,
    rebuild: bool,
    progress: Progress | None,
) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    store = Store(settings, embedder, create=True)
    if rebuild:
        store.reset()
    states = store.file_states()
    files, report.skipped = find_files(paths)
    for done, path in enumerate(files, start=1):
        source = str(path)
        try:
            written = _ingest_file(settings, store, embedder, path, states.get(source), report)
        except ArticleError as exc:
            report.skipped.append((source, str(exc)))
            store.remove([source])  # a file that turned bad must not keep stale chunks
        else:
            if written is None:
                report.unchanged.append(source)
            else:
                report.indexed.append(source)
                report.chunks_written += written
        if progress:
            progress(source, done, len(files))
    report.removed = _gone(states, paths, {str(p) for p in files})
    store.remove(report.removed)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_file(
    settings: Settings,
    store: Store,
    embedder: Embedder,
    path: Path,
    state: tuple[str, bool] | None,
    report: IngestReport,
) -> int | None:
    """Index one file; None when it is unchanged since the last run."""
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > settings.max_file_mb:
        raise ArticleError(
            f"{size_mb:.0f} MB is over the {settings.max_file_mb:g} MB limit "
            "(raise CLAIMBOT_MAX_FILE_MB to index it)"
        )
    data = path.read_bytes()
    if state == (file_sha(data), True):
        return None
    article = load_article(path, str(path), data)
    chunks = chunk_article(article, settings.chunk_chars)
    claims = extract_claims(article)
    if settings.llm_enabled and settings.llm_claims:
        try:
            claims += verified_claims(article, ask_for_claims(settings, article), claims)
        except LLMError as exc:  # the offline claims stand; say what was missed
            report.warnings.append(f"{path}: {exc}; kept the offline claims only")
    # A claim that is exactly a chunk reuses the chunk's vector; the rest are embedded.
    spans = {(c.start, c.end) for c in chunks}
    own = [c for c in claims if (c.start, c.end) not in spans]
    vectors = embedder.embed_passages(
        [searchable_text(c.text) for c in chunks] + [searchable_text(c.text) for c in own]
    )
    by_span = {(c.start, c.end): vectors[i] for i, c in enumerate(chunks)}
    by_span.update({(c.start, c.end): vectors[len(chunks) + i] for i, c in enumerate(own)})
    claim_vectors = np.asarray([by_span[(c.start, c.end)] for c in claims], dtype=np.float32)
    store.replace(article, chunks, vectors[: len(chunks)], claims, claim_vectors)
    return len(chunks)


def _gone(states: dict[str, tuple[str, bool]], roots: Sequence[Path], found: set[str]) -> list[str]:
    """Indexed files under the given folders that no longer exist."""
    folders = [str(r).rstrip("/") + "/" for r in roots if r.is_dir()]
    return sorted(
        s
        for s in states
        if s not in found and any(s.startswith(f) for f in folders) and not Path(s).exists()
    )
