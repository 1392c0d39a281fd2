"""Reading a file's format in a worker process, within a bound of time and of memory.

PDF, Word, web pages and feeds are read by other people's parsers, fed bytes anyone may
have made. A hostile file can keep such a parser busy for minutes or make it take
gigabytes (a Word file of 88 kB that unpacks to 60 MB of empty paragraphs took 3.3 GB and
6 minutes, holding the writer lock). Each such file is read in a worker process (pebble)
that may take `parse_seconds` and use `parse_memory_mb`: past either, the worker is ended
and the file skipped with the reason. Plain text is read in-process: that is our own code,
in time linear in the file, on at most `max_file_mb`.
"""

import contextlib
import multiprocessing
import resource
from collections.abc import Callable
from concurrent.futures import TimeoutError as Timeout
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from index.errors import ArticleError
from index.settings import Settings

T = TypeVar("T")
# Formats whose reader is someone else's parser of a packed or nested format.
SANDBOXED = (".pdf", ".docx", ".html", ".htm", ".xml", ".rss", ".atom")


def limit_memory(megabytes: float) -> None:
    """In a worker: at most this much address space; past it, allocations fail."""
    size = int(megabytes * 1_000_000)
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def worker_pool(settings: Settings, workers: int = 1) -> ProcessPool:
    """Processes that read files within the memory bound (started as they are needed)."""
    return ProcessPool(
        max_workers=workers,
        initializer=limit_memory,
        initargs=(settings.parse_memory_mb,),
        context=multiprocessing.get_context("spawn"),  # safe beside the server's threads
    )


def result(settings: Settings, future: Any) -> Any:
    """A worker's result; ArticleError with the reason when it ran out of time or memory."""
    try:
        return future.result()
    except Timeout:
        raise ArticleError(
            f"took over {settings.parse_seconds:g} s to read, and was given up "
            "(CLAIMBOT_PARSE_SECONDS); save the article as text to index it"
        ) from None
    except (MemoryError, ProcessExpired):
        raise ArticleError(
            f"needed over {settings.parse_memory_mb:g} MB to read, and was given up "
            "(CLAIMBOT_PARSE_MEMORY_MB); save the article as text to index it"
        ) from None


class Sandbox:
    """One worker for the files of one ingest run, started at the first file that needs it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: ProcessPool | None = None

    def run(self, path: Path, read: Callable[..., T], *args: Any) -> T:
        """`read(*args)` for the file at `path`: in the worker when its format needs one."""
        if path.suffix.lower() not in SANDBOXED:
            return read(*args)
        if self._pool is None:
            self._pool = worker_pool(self.settings)
        future = self._pool.submit(read, self.settings.parse_seconds, *args)
        return result(self.settings, future)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._pool is not None:
            with contextlib.suppress(Exception):
                self._pool.stop()  # type: ignore[no-untyped-call]
                self._pool.join(timeout=10)
            self._pool = None

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
