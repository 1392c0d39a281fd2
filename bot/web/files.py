"""Which server files a request to the page may name: only those its caller uploaded.

Gradio's events take files as `FileData` objects whose `path` is a path on the server.
Mounted with `gr.mount_gradio_app`, Gradio checks nothing about that path (its check runs
only in an app started by `launch()`), so an event could name any file the server can read,
and the upload handler would copy, index, serve and delete it. The guard records the files
each caller uploads (from the answers of Gradio's upload route) and refuses, before Gradio
sees it, any event that names another path, whatever Gradio does or does not check.
"""

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

PREFIX = "/gradio_api/"
UPLOAD = PREFIX + "upload"
# Routes that take or give files: none of them is open on a read-only page.
FILE_ROUTES = tuple(
    PREFIX + route
    for route in ("upload", "file=", "file/", "stream/", "proxy=", "process_recording")
)
READ_ONLY = "This page is read-only: it takes no files and serves none."
NOT_UPLOADED = (
    "Only files uploaded to this page can be added: {name} was not. Choose it with the "
    "file picker (or send it through POST /gradio_api/upload first)."
)


class UploadedFiles:
    """The server paths each caller's uploads were stored at, for as long as Gradio keeps
    them (an hour), at most `per_caller` each."""

    def __init__(self, keep_seconds: float = 3600.0, per_caller: int = 1000) -> None:
        self._files: dict[str, dict[str, float]] = {}
        self._keep, self._most = keep_seconds, per_caller
        self._lock = threading.Lock()

    def record(self, caller: str, body: bytes) -> None:
        """Take note of the paths in the answer of Gradio's upload route (a JSON list)."""
        try:
            paths = json.loads(body)
        except ValueError:
            return
        if not isinstance(paths, list):
            return
        now = time.monotonic()
        with self._lock:
            mine = self._files.setdefault(caller, {})
            mine.update((p, now) for p in paths if isinstance(p, str))
            for path in [p for p, at in mine.items() if now - at > self._keep]:
                del mine[path]
            while len(mine) > self._most:
                del mine[next(iter(mine))]

    def refused(self, caller: str, body: bytes) -> str:
        """Why an event's JSON body may not go on ("" when it may): it names a file that
        this caller did not upload."""
        with self._lock:
            mine = dict(self._files.get(caller, {}))
        try:
            for path in named_files(json.loads(body)):
                if path not in mine:
                    name = path.replace("\\", "/").rsplit("/", 1)[-1][:80]
                    return NOT_UPLOADED.format(name=repr(name))
        except ValueError:
            return ""  # not JSON: names no file; Gradio answers it
        except RecursionError:
            return "This request is nested too deeply to be read."
        return ""


def named_files(value: Any) -> Iterator[str]:
    """Every `path` of a file object (a dict with a string `path`) anywhere in `value`."""
    if isinstance(value, dict):
        if isinstance(value.get("path"), str):
            yield value["path"]
        for item in value.values():
            yield from named_files(item)
    elif isinstance(value, list):
        for item in value:
            yield from named_files(item)


def takes_files(path: str) -> bool:
    """A route of the page that takes or gives a file."""
    return path.startswith(FILE_ROUTES)
