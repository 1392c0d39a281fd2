"""The web app assembled: source routes, a health check and the Gradio page on one FastAPI app.

The server answers as soon as the index is open: /healthz, the API and the source routes
need no Gradio, whose import alone takes seconds. The page is built beside the running
server and mounted when ready (`LaterPage`); until then it answers 503 with Retry-After.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from bot.chain import Bot
from bot.web.access import Guard, Sessions, check_exposure, parse_keys, parse_logins, user_of
from bot.web.api import add_api_routes
from bot.web.ledger_api import add_ledger_routes
from bot.web.sources import add_source_routes
from index.errors import ClaimbotError, IndexMismatchError, IndexMissingError


def build_app(bot: Bot) -> FastAPI:
    """FastAPI app with the source routes and /healthz; `serve` mounts the page on it."""
    app = FastAPI(
        title="claimbot",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    add_source_routes(app, bot)
    add_api_routes(app, bot)
    add_ledger_routes(app, bot)

    @app.get("/healthz")
    def healthz(request: Request) -> JSONResponse:
        """200 once everything answers, the page too (`page`: "ready"); 503 with the reason
        while the page is starting (a load balancer must not send users to a page that
        answers 503), or when the store fails or the page could not be built. The reason
        never names a server path: /healthz is open to anyone."""
        later = getattr(request.app.state, "page", None)
        page = later.state if later is not None else "none"  # read once: body and status agree
        try:
            bot.check()
        except ClaimbotError as exc:
            log.warning("health check failed: %s", exc)
            body = {"ok": False, "error": health_reason(exc), "page": page}
            return JSONResponse(body, status_code=503)
        body = {"ok": True, "articles": bot.corpus.articles, "mode": bot.mode, "page": page}
        if page in ("starting", "failed"):
            error = "the page could not be built" if page == "failed" else "the page is starting"
            return JSONResponse({**body, "ok": False, "error": error}, status_code=503)
        return JSONResponse(body)

    return app


log = logging.getLogger(__name__)
STARTING = b"The page is starting; reload it in a moment."


def health_reason(exc: ClaimbotError) -> str:
    """What /healthz says about a failure, with no server path in it (the log has it)."""
    if isinstance(exc, IndexMissingError):
        return "no index yet, or it was deleted: run `python -m bot ingest` for this data dir"
    if isinstance(exc, IndexMismatchError):
        return "the index was built with another model or chunker: re-index it (see the log)"
    return "the index cannot be read (see the server log)"


class LaterPage:
    """An ASGI app that becomes the Gradio page once `build` (run in a thread) returns it.

    Until then every request gets 503 with Retry-After. The page's own start-up and
    shutdown (Gradio's queue) run inside the server's lifespan, via `running`.
    """

    def __init__(self, build: Callable[[], FastAPI]) -> None:
        self._build = build
        self._app: FastAPI | None = None
        self.error = ""

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(self._serve(stop))
        try:
            yield
        finally:
            stop.set()
            await task

    async def _serve(self, stop: asyncio.Event) -> None:
        try:
            page = await asyncio.to_thread(self._build)
        except Exception as exc:  # the server goes on answering; /healthz says why
            log.exception("the page could not be built")
            self.error = f"the page could not be built: {exc}"
            return
        async with page.router.lifespan_context(page):
            self._app = page
            await stop.wait()

    @property
    def state(self) -> str:
        """ "starting", "ready" or "failed": read from one field, so /healthz (in a thread)
        never sees the page ready under another name."""
        return "ready" if self._app is not None else "failed" if self.error else "starting"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._app is not None:
            await self._app(scope, receive, send)
            return
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1013})  # try again later
            return
        status = 500 if self.error else 503
        body = self.error.encode() if self.error else STARTING
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"1")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def serve(bot: Bot, host: str, port: int) -> None:
    """Run the app (source routes + Gradio page) until interrupted.

    Refuses an address off this machine when anyone reaching it could upload without a
    login. Every route but /healthz needs a login when logins are set (HTTP Basic; Gradio
    learns the user from the same header).
    """
    import uvicorn

    settings = bot.settings
    check_exposure(host, settings)
    logins, keys = parse_logins(settings), parse_keys(settings)
    limit = int(settings.max_file_mb * 1_000_000)
    app = build_app(bot)
    sessions = Sessions()

    def build() -> FastAPI:
        import gradio as gr

        from bot.web.page import CSS, build_page

        holder = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
        gr.mount_gradio_app(
            holder,
            build_page(bot, sessions),
            path="/",
            footer_links=[],
            css=CSS,
            max_file_size=limit,
            auth_dependency=(
                (lambda request: user_of(request.headers, logins, keys)) if logins or keys else None
            ),
        )
        return holder

    later = LaterPage(build)
    app.state.page = later
    app.mount("/", later)  # after the app's own routes, which match first
    own = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(parent: Any) -> AsyncIterator[Any]:
        async with own(parent) as state, later.running():
            yield state

    app.router.lifespan_context = lifespan
    # The bound per request leaves room for a form's own bytes beside the files.
    app.add_middleware(
        Guard,
        logins=logins,
        max_body_bytes=limit + 64_000,
        sessions=sessions,
        keys=keys,
        read_only=settings.read_only,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
