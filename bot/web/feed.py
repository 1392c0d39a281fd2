"""The ledger's events as an Atom feed (RFC 4287), for a newsroom's feed reader or chat tool.

Made with feedgen (the XML is written by lxml, so article text is escaped); newest first.
Each entry links to the article's passage in the app's own source view.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from feedgen.feed import FeedGenerator

from bot.web.sources import source_link
from index.events import as_utc

FEED_ID = "urn:claimbot:ledger:events"


def events_atom(events: Sequence[dict[str, Any]], base_url: str, self_url: str) -> bytes:
    """The events (oldest first, as read) as an Atom document, newest entry first."""
    feed = FeedGenerator()
    feed.id(FEED_ID)
    feed.title("claimbot: what changed in the claim ledger")
    feed.subtitle("New claims, claims reported by another outlet, differences, inferred disputes")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=base_url.rstrip("/") + "/", rel="alternate", type="text/html")
    feed.author({"name": "claimbot"})
    stamps = [_when(e) for e in events]
    feed.updated(max(stamps) if stamps else datetime.datetime.now(datetime.UTC))
    for event, stamp in zip(events, stamps, strict=True):
        entry = feed.add_entry(order="prepend")
        entry.id(f"urn:claimbot:event:{event['id']}")
        entry.title(f"{event['kind']}: {event['speaker']}")
        entry.updated(stamp)
        entry.summary(f"{event['detail']}\n\n{event['text']}")
        link = source_link(str(event["doc_id"]), int(event["start"]), int(event["end"]))
        entry.link(href=base_url.rstrip("/") + link, rel="alternate")
        entry.category(term=str(event["kind"]))
    document: bytes = feed.atom_str(pretty=True)
    return document


def _when(event: dict[str, Any]) -> datetime.datetime:
    return as_utc(datetime.datetime.fromisoformat(str(event["at"])))
