"""The web app assembled: source routes, a health check and the Gradio page on one FastAPI app."""

from typing import Any

from fastapi import FastAPI

from bot.chain import Bot
from bot.web.sources import add_source_routes


def build_app(bot: Bot) -> FastAPI:
    """FastAPI app with the source routes and /healthz; `serve` mounts the page on it."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    add_source_routes(app, bot)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"ok": True, "articles": bot.corpus.articles, "mode": bot.mode}

    return app


def serve(bot: Bot, host: str, port: int) -> None:
    """Run the app (source routes + Gradio page) until interrupted."""
    import gradio as gr
    import uvicorn

    from bot.web.page import CSS, build_page

    app = gr.mount_gradio_app(build_app(bot), build_page(bot), path="/", footer_links=[], css=CSS)
    uvicorn.run(app, host=host, port=port, log_level="warning")
