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
from bot.provenance import trace
from bot.web.feed import events_atom
from index.errors import ClaimbotError, QuestionError
from index.events import parse_since, read_events
from index.tracked import ledger_dir

UNREADABLE = "The index cannot be read right now; /healthz says why."
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


class ProvenanceRequest(BaseModel):
    quote: str = Field(description="A quote or paraphrase, English or Indonesian.")


class VersionOut(BaseModel):
    outlet: str
    date: str
    source: str = Field(description="The file name.")
    doc_id: str
    start: int
    end: int
    quote: str
    url: str
    speaker: str
    claim: str
    changes: list[dict[str, str]] = Field(
        description="Word-level differences from the earliest: op, earliest, this."
    )


class ProvenanceOut(BaseModel):
    """What `python -m bot provenance QUOTE --json` prints."""

    quote: str
    found: bool
    match: str = Field(description="verbatim, paraphrase, or empty when not found")
    message: str
    earliest: VersionOut | None
    versions: list[VersionOut] = Field(description="Earliest first.")


def add_ledger_routes(app: FastAPI, bot: Bot) -> None:
    """/api/claims/events (JSON), /api/claims/events.atom (Atom) and /api/provenance."""

    @app.post("/api/provenance", tags=["claims"], response_model=ProvenanceOut)
    def provenance(body: ProvenanceRequest) -> Any:
        """Where a quote first appeared, who carried it, and what each version changed."""
        try:
            found = trace(
                bot.ledger_index(), bot.embedder, body.quote, bot.settings.max_question_chars
            )
        except QuestionError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except ClaimbotError:
            return JSONResponse(
                {"error": "The index cannot be read right now; /healthz says why."}, status_code=503
            )
        result = found.to_json()
        for version in [result["earliest"], *result["versions"]]:
            if version:
                version["source"] = Path(str(version["source"])).name
        return result

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
