"""The Chroma client: the embedded folder under the data dir, or a server over HTTP.

A server that is down is an error that names it, never a silent fallback to an empty
local store; `guarded` gives every later failure the same clear message.
"""

import contextlib
import functools
import shutil
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

import chromadb
from chromadb.config import Settings as ChromaSettings

from index.errors import BackendError, ClaimbotError, ConfigError, IndexMissingError, WriteError
from index.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")


# How SQLite (under Chroma) and the OS say that a write cannot happen.
_FULL = ("disk is full", "no space left", "quota exceeded")
_READ_ONLY = ("readonly database", "read-only file system", "permission denied")


def write_failure(folder: object, problem: str) -> WriteError | None:
    """A WriteError naming `folder` and what to do, when `problem` says the disk is full or
    the folder is read-only; else None."""
    text = problem.lower()
    if any(marker in text for marker in _FULL):
        return WriteError(
            f"The disk holding {folder} is full: free some space (or point CLAIMBOT_DATA_DIR "
            "at a disk with room) and run the same command again; what was written is kept "
            "and the rest is redone."
        )
    if any(marker in text for marker in _READ_ONLY):
        return WriteError(
            f"{folder} cannot be written (read-only or not yours): make it writable, or point "
            "CLAIMBOT_DATA_DIR at a folder you can write, and run the same command again."
        )
    return None


def free_mb(settings: Settings) -> float:
    """Megabytes free on the disk that holds the data dir (or the nearest folder above it
    that exists)."""
    folder = settings.data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free / 1_000_000


def check_room(settings: Settings) -> None:
    """WriteError when the data dir's disk has less than `min_free_mb` free (the reader
    files live there with a Chroma server too)."""
    free = free_mb(settings)
    if free < settings.min_free_mb:
        raise WriteError(
            f"The disk holding {settings.data_dir} has {free:,.1f} MB free, under the "
            f"{settings.min_free_mb:,.0f} MB a write needs (CLAIMBOT_MIN_FREE_MB): free some "
            "space or point CLAIMBOT_DATA_DIR at a disk with room, and run the same command "
            "again; what was written is kept and the rest is redone."
        )


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn any failure of Chroma itself into a BackendError that says where and what next
    (a WriteError when the disk is full or the folder read-only)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except ClaimbotError:
            raise
        except Exception as exc:  # Chroma raises plain exceptions (httpx, ValueError, ...)
            where = getattr(args[0], "where", "the index")
            failure = write_failure(where, str(exc)) or _filled(args[0], where)
            if failure is not None:
                give_up = getattr(args[0], "write_failed", None)
                if give_up is not None:
                    give_up()
                raise failure from exc
            unavailable = getattr(args[0], "unavailable", "Chroma failed")
            raise BackendError(f"{unavailable} ({type(exc).__name__}: {exc})") from exc

    return wrapper


def _filled(owner: object, where: str) -> WriteError | None:
    """The full-disk WriteError when an embedded store failed with its disk under the room a
    write needs: a disk that fills in the middle of one write (the room was checked before
    it) makes Chroma fail with a message of its own ("Error in compaction: Failed to apply
    logs to the metadata segment") that does not say why."""
    settings = getattr(owner, "_settings", None)
    if not isinstance(settings, Settings) or settings.chroma_url:
        return None
    if free_mb(settings) >= settings.min_free_mb:
        return None
    return write_failure(where, "no space left")


def open_client(settings: Settings, create: bool, hint: str) -> tuple[Any, str, str]:
    """(client, where the index is, what to say when it fails) for the configured store."""
    if settings.chroma_url:
        url = settings.chroma_url
        unavailable = (
            f"The Chroma server at {url} did not answer; start it "
            "(`chroma run --path DIR --host HOST --port PORT`) or check CLAIMBOT_CHROMA_URL, "
            "then try again"
        )
        return _connect(url, settings, unavailable), f"the Chroma server at {url}", unavailable
    path = settings.data_dir / "chroma"
    if not create and not path.is_dir():
        raise IndexMissingError(f"No index at {settings.data_dir}/ — {hint}.")
    try:
        client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
        )
    except Exception as exc:  # Chroma raises plain exceptions for a broken folder
        failure = write_failure(path, str(exc))
        if failure is not None:
            raise failure from exc
        raise BackendError(f"Cannot open the index at {path}: {exc}") from exc
    return client, str(path), f"The index at {path} cannot be read"


def drop_client(client: Any, settings: Settings) -> None:
    """Stop the embedded store's in-process system after a write it could not finish.

    Chroma keeps a write that failed half-way (a disk full under its SQLite) pending in
    that system, and every later write in the process waits on it for good; the next
    client opened on the folder starts a fresh system. Readers that shared the stopped one
    open afresh at their next look (`Store.reopen`)."""
    if settings.chroma_url:
        return
    system = _detach(client)
    if system is not None:
        with contextlib.suppress(Exception):  # a system already broken may fail to stop
            system.stop()


def reopen_client(client: Any, settings: Settings) -> tuple[Any, Any]:
    """A new client on the same store, and what to stop once nothing uses the old one.

    An embedded store read by one process and written by another (`ingest` beside a running
    `serve`) keeps its vector index in memory, so the reader never sees the writer's new
    vectors, and after `--rebuild` its collections no longer exist. Chroma shares one
    in-process system per folder; the reader needs a system of its own, loaded afresh from
    disk. Queries already running keep the old one until it is stopped.
    """
    if settings.chroma_url:
        return client, None
    old = _detach(client)
    fresh, _, _ = open_client(settings, False, "")
    return fresh, old


def _detach(client: Any) -> Any:
    """Take the embedded client's in-process system out of Chroma's per-folder cache, so
    the next client opened on the folder starts a system of its own; returns it (or None)
    for the caller to stop once nothing uses it."""
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = client._identifier
    with SharedSystemClient._refcount_lock:
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    return system


def _connect(url: str, settings: Settings, unavailable: str) -> Any:
    """An HttpClient for `url`, with the optional token header for an authenticating proxy."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"CLAIMBOT_CHROMA_URL must look like http://HOST:PORT, not {url!r}.")
    headers = {}
    if settings.chroma_token is not None:
        token = settings.chroma_token.get_secret_value()
        header = settings.chroma_token_header
        headers[header] = f"Bearer {token}" if header.lower() == "authorization" else token
    try:
        return chromadb.HttpClient(
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 80),
            ssl=parts.scheme == "https",
            headers=headers,
            settings=ChromaSettings(anonymized_telemetry=False),
        )
    except Exception as exc:  # "Could not connect to a Chroma server" is a ValueError
        raise BackendError(f"{unavailable} ({type(exc).__name__}: {exc})") from exc
