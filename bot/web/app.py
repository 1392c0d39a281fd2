"""The web app assembled: source routes, a health check and the Gradio page on one FastAPI app."""

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from bot.chain import Bot
from bot.web.access import Guard, Sessions, check_exposure, parse_keys, parse_logins, user_of
from bot.web.api import add_api_routes
from bot.web.sources import add_source_routes
from index.errors import ClaimbotError


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

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """200 while questions can be answered; 503 with the reason when the store fails."""
        try:
            bot.check()
        except ClaimbotError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=503)
        return JSONResponse({"ok": True, "articles": bot.corpus.articles, "mode": bot.mode})

    return app


def serve(bot: Bot, host: str, port: int) -> None:
    """Run the app (source routes + Gradio page) until interrupted.

    Refuses an address off this machine when anyone reaching it could upload without a
    login. Every route but /healthz needs a login when logins are set (HTTP Basic; Gradio
    learns the user from the same header).
    """
    import gradio as gr
    import uvicorn

    from bot.web.page import CSS, build_page

    settings = bot.settings
    check_exposure(host, settings)
    logins, keys = parse_logins(settings), parse_keys(settings)
    limit = int(settings.max_file_mb * 1_000_000)
    app = build_app(bot)
    sessions = Sessions()
    page = build_page(bot, sessions)
    # The bound per request leaves room for a form's own bytes beside the files.
    app.add_middleware(
        Guard, logins=logins, max_body_bytes=limit + 64_000, sessions=sessions, keys=keys
    )
    app = gr.mount_gradio_app(
        app,
        page,
        path="/",
        footer_links=[],
        css=CSS,
        max_file_size=limit,
        auth_dependency=(
            (lambda request: user_of(request.headers, logins, keys)) if logins or keys else None
        ),
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
