"""The claim ledger's watch routes: what each write changed, as JSON and as an Atom feed.

Beside the routes of bot/web/api.py and behind the same guard (logins or API keys); the
events are read from the file the write path appends to (index/events.py).
"""

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bot.chain import Bot
from bot.web.feed import events_atom
from index.events import parse_since, read_events
from index.tracked import ledger_dir

MAX_FEED_ENTRIES = 200  # the newest events a feed carries; JSON takes `since` for more
SINCE = Query(
    default=None,
    description="Only events written at or after this time (YYYY-MM-DD or ISO 8601).",
)


class EventOut(BaseModel):
    """One change a write made to the ledger, as `claims --since DATE --json` prints it."""

    id: str
    at: str = Field(description="When the write happened (UTC).")
    kind: str = Field(
        description="new claim, another outlet, numbers differ, wording differs, new dispute"
    )
    claim: str
    speaker: str
    text: str
    outlet: str
    date: str
    source: str = Field(description="The file name.")
    doc_id: str
    start: int
    end: int
    detail: str
    disputes: str | None = None


def add_ledger_routes(app: FastAPI, bot: Bot) -> None:
    """/api/claims/events (JSON) and /api/claims/events.atom (Atom)."""

    def events(since: str | None) -> list[dict[str, Any]] | JSONResponse:
        try:
            when = parse_since(since)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        found = read_events(ledger_dir(bot.settings.data_dir), when)
        return [{**e, "source": Path(str(e["source"])).name} for e in found]

    @app.get("/api/claims/events", tags=["claims"], response_model=list[EventOut])
    def claim_events(since: str | None = SINCE) -> Any:
        """What each write changed in the ledger, oldest first."""
        return events(since)

    @app.get("/api/claims/events.atom", tags=["claims"], response_class=Response)
    def claim_events_atom(request: Request, since: str | None = SINCE) -> Response:
        """The same events as an Atom feed, newest first (at most 200)."""
        found = events(since)
        if isinstance(found, JSONResponse):
            return found
        base = str(request.base_url)
        body = events_atom(found[-MAX_FEED_ENTRIES:], base, str(request.url))
        return Response(body, media_type="application/atom+xml")
