"""Who may reach the web app, and what every response carries.

Logins are HTTP Basic (RFC 7617) on every route but `/healthz`: the page, its API events,
uploads and `/source/...` alike, checked before the request reaches Gradio or our routes.
Browsers ask for the password themselves; behind a reverse proxy with TLS the header is
passed on untouched. The same check tells Gradio who is logged in (`auth_dependency`), so
an upload records its user. Request bodies are bounded before they are read, and every
response gets the security headers the source route already sends.
"""

import base64
import binascii
import contextlib
import hmac
import ipaddress
import json
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.files import PREFIX, READ_ONLY, UPLOAD, UploadedFiles, takes_files
from index.errors import ConfigError
from index.settings import Settings

OPEN_PATHS = frozenset({"/healthz"})  # for load balancers; says only ok, count and mode
REALM = 'Basic realm="claimbot", charset="UTF-8"'
PAGE_HEADERS = {
    # The page itself needs Gradio's scripts; what it must never be is framed elsewhere.
    # (and no image from elsewhere: a question or an article cannot make browsers fetch one)
    "content-security-policy": "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; "
    "img-src 'self' data: blob:",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


class Sessions:
    """How many questions each browser session has: one, waiting or running. The guard
    turns an extra question away (429) before it reaches Gradio's queue, so a session
    sending hundreds at once cannot fill the queue ahead of everyone else (when the line
    allowed a few, a session's questions refused one by one as they ran never met it)."""

    def __init__(self, waiting: int = 1, expiry: float = 300.0) -> None:
        self.question_event: int | None = None  # the page's chat event (its fn_index)
        self._waiting: dict[str, deque[float]] = {}
        self._busy: set[str] = set()
        self._limit, self._expiry = waiting, expiry
        self._lock = threading.Lock()

    def admit(self, session: str) -> bool:
        """A question from this session may join the queue (it has room in its line)."""
        now = time.monotonic()
        with self._lock:
            line = self._waiting.setdefault(session, deque())
            while line and now - line[0] > self._expiry:  # dropped before it ran
                line.popleft()
            if len(line) >= self._limit or session in self._busy:
                return False
            line.append(now)
            return True

    @contextlib.contextmanager
    def turn(self, session: str) -> Iterator[bool]:
        """Yields True when this session may ask now, False when it already has a question."""
        with self._lock:
            line = self._waiting.get(session)
            if line:
                line.popleft()
            free = session not in self._busy
            self._busy.add(session)
        try:
            yield free
        finally:
            if free:
                with self._lock:
                    self._busy.discard(session)
                    if not self._waiting.get(session):
                        self._waiting.pop(session, None)


def parse_logins(settings: Settings) -> dict[str, str]:
    """`user:password` pairs (comma-separated in CLAIMBOT_AUTH) as {user: password}."""
    if settings.auth is None:
        return {}
    logins: dict[str, str] = {}
    for pair in settings.auth.get_secret_value().split(","):
        user, sep, password = pair.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError(
                "Each login must look like USER:PASSWORD (in --auth, or comma-separated in "
                "CLAIMBOT_AUTH), with neither part empty."
            )
        logins[user] = password
    return logins


def parse_keys(settings: Settings) -> frozenset[str]:
    """API keys (comma-separated in CLAIMBOT_API_KEYS), sent as `Authorization: Bearer KEY`."""
    if settings.api_keys is None:
        return frozenset()
    keys = {k.strip() for k in settings.api_keys.get_secret_value().split(",")}
    if "" in keys or any(len(k) < 16 for k in keys):
        raise ConfigError(
            "Each API key must be at least 16 characters (in --api-key or CLAIMBOT_API_KEYS)."
        )
    return frozenset(keys)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_exposure(host: str, settings: Settings) -> None:
    """Refuse to let anyone on a network upload articles without credentials (logins or API
    keys); the logins and keys themselves are checked on the way."""
    logins, keys = parse_logins(settings), parse_keys(settings)  # both checked, always
    guarded = bool(logins) or bool(keys)
    if not is_loopback(host) and not guarded and not settings.read_only:
        raise ConfigError(
            f"Serving on {host} would let anyone who reaches it upload articles. Add logins "
            "with --auth USER:PASSWORD (or CLAIMBOT_AUTH), or serve with --read-only."
        )


def user_of(
    headers: Headers, logins: Mapping[str, str], keys: frozenset[str] = frozenset()
) -> str | None:
    """Who the request's credentials are: a login's user (Basic), or "api key N" for a
    right Bearer key; None when they are missing or wrong."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        for n, key in enumerate(sorted(keys), 1):
            if hmac.compare_digest(token.strip().encode(), key.encode()):
                return f"api key {n}"
        return None
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(token, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    expected = logins.get(user)
    if not sep or expected is None:
        return None
    if not hmac.compare_digest(password.encode(), expected.encode()):
        return None
    return user


class Guard:
    """ASGI middleware: logins, a bound on request bodies, security headers."""

    def __init__(
        self,
        app: ASGIApp,
        logins: Mapping[str, str],
        max_body_bytes: int,
        sessions: Sessions | None = None,
        keys: frozenset[str] = frozenset(),
        read_only: bool = False,
    ) -> None:
        self.app, self.logins, self.max_body = app, dict(logins), max_body_bytes
        self.sessions, self.keys, self.read_only = sessions, keys, read_only
        self.uploaded = UploadedFiles()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if (self.logins or self.keys) and scope["path"] not in OPEN_PATHS:
            user = user_of(headers, self.logins, self.keys)
            if user is None:
                await _refuse(scope, send, 401, "Log in to use claimbot.", REALM)
                return
            scope["claimbot.user"] = user
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            mb = self.max_body / 1_000_000
            await _refuse(scope, send, 413, f"Request too large: at most {mb:g} MB per request.")
            return
        receive = self._bounded(receive)
        path, caller = scope["path"], str(scope.get("claimbot.user", ""))
        if self.read_only and takes_files(path):
            await _refuse(scope, send, 403, READ_ONLY)
            return
        if path == UPLOAD:  # where Gradio keeps this caller's files: theirs to name
            await self.app(scope, receive, self._recording(send, caller))
            return
        if path.startswith(PREFIX) and scope.get("method") == "POST":
            body, receive = await _read_body(receive)
            refused = self.uploaded.refused(caller, body)
            if refused:
                await _refuse(scope, send, 403, refused)
                return
            if path.endswith("/queue/join") and not self._admitted(body):
                await _refuse(scope, send, 429, BUSY)
                return
        await self.app(scope, receive, self._with_headers(send))

    def _recording(self, send: Send, caller: str) -> Send:
        """`send` for Gradio's upload route, noting the paths of a successful answer."""
        send = self._with_headers(send)
        status, body = 0, b""

        async def recording(message: Message) -> None:
            nonlocal status, body
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status == 200:
                body += message.get("body", b"")
                if not message.get("more_body"):
                    self.uploaded.record(caller, body)
            await send(message)

        return recording

    def _admitted(self, body: bytes) -> bool:
        """False for a question from a session whose line is full."""
        if self.sessions is None:
            return True
        try:
            event = json.loads(body)
        except ValueError:
            return True  # Gradio gives the malformed request its own answer
        if not isinstance(event, dict) or not _same(
            event.get("fn_index"), self.sessions.question_event
        ):
            return True
        return self.sessions.admit(str(event.get("session_hash", "")))

    def _bounded(self, receive: Receive) -> Receive:
        """A body sent without a length is cut off (as a disconnect) at the bound."""
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    return {"type": "http.disconnect"}
            return message

        return bounded

    def _with_headers(self, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in PAGE_HEADERS.items()
                    if name.encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return send_with_headers


BUSY = "One question at a time: wait for the answers to the questions already sent."


def _same(fn_index: Any, event: int | None) -> bool:
    """Whether a join's `fn_index` is the event's, as Gradio reads it ("3" and 3.0 are 3)."""
    try:
        return event is not None and float(fn_index) == event
    except (TypeError, ValueError):
        return False


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole (bounded) body, and a receive that hands it on unchanged."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, replay


async def _refuse(scope: Scope, send: Send, status: int, text: str, realm: str = "") -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    kind = b"text/plain; charset=utf-8"
    body = text.encode()
    if scope["path"].startswith("/api/"):  # API callers get JSON errors
        kind, body = b"application/json", json.dumps({"error": text}).encode()
    elif scope["path"].startswith("/v1/"):  # and OpenAI's error object on its wire
        kind = b"application/json"
        error = {"message": text, "type": "invalid_request_error", "code": status}
        body = json.dumps({"error": error}).encode()
    headers: list[Any] = [(b"content-type", kind)]
    headers += [(k.encode(), v.encode()) for k, v in PAGE_HEADERS.items()]
    if realm:
        headers.append((b"www-authenticate", realm.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
