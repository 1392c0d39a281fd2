"""Feeds: an RSS or Atom file becomes one article file per item, each with its own details.

feedparser reads the feed from its bytes (it never fetches anything). Each item's text
(its full content, else its summary; HTML made plain text) is written as a `.txt` file
under `data_dir/feeds/<feed>-<hash of the feed's path>/`, with a sidecar giving the item's
own URL, title and date and the feed's title as outlet. Those files then go through the
ordinary ingest, so citations, the source view, copies and incremental runs work as for
any article. An item is rewritten only when its text or details change; an item that has
left the feed stays indexed (a feed lists only its latest items; the archive keeps them).
"""

import calendar
import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import feedparser

from index.decode import html_to_text, reading, valid_text
from index.errors import ArticleError
from index.files import write_atomically
from index.sandbox import Sandbox
from index.settings import Settings

FEED_SUFFIXES = (".xml", ".rss", ".atom")
_SLUG = re.compile(r"[^a-z0-9]+")


def feeds_dir(settings: Settings) -> Path:
    return settings.data_dir / "feeds"


def is_feed(path: Path) -> bool:
    return path.suffix.lower() in FEED_SUFFIXES


def _date(entry: Any) -> str:
    """The item's publication (else update) date as an ISO date, or ""."""
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            return (
                datetime.datetime.fromtimestamp(calendar.timegm(stamp), datetime.UTC)
                .date()
                .isoformat()
            )
    return ""


def _text(entry: Any) -> str:
    """The item's own text: its content, else its summary, else its title; HTML made plain."""
    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    body = "\n".join(html_to_text(p)[0] for p in parts if p).strip()
    title = str(entry.get("title", "")).strip()
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}" if body else title
    return body


def _write_if_changed(path: Path, text: str) -> None:
    """Write `text` unless the file already holds it."""
    try:
        if path.read_text("utf-8") == text:
            return
    except OSError:
        pass
    write_atomically(path, text.encode("utf-8"))


MAX_ITEMS = 5_000  # a news feed lists tens of items; each one becomes a file


def read_feed(raw: bytes) -> tuple[str, list[tuple[str, str, dict[str, str]]]]:
    """The feed's title and its items as (id, text, details): plain data, so that a
    worker process can read the feed (feedparser) and hand them back."""
    with reading("feed"):
        parsed = feedparser.parse(raw)
        if not parsed.entries:
            problem = " ".join(str(parsed.get("bozo_exception") or "").split())[:200]
            reason = f": {problem}" if problem else ""
            raise ArticleError(f"not an RSS or Atom feed with items{reason}")
        if len(parsed.entries) > MAX_ITEMS:
            raise ArticleError(
                f"a feed of {len(parsed.entries):,} items (at most {MAX_ITEMS:,}): split it"
            )
        outlet = valid_text(str(parsed.feed.get("title", "")).strip())
        items = []
        for entry in parsed.entries:
            text = valid_text(_text(entry))
            if not text:
                continue
            link = valid_text(str(entry.get("link", "")))
            ident = str(entry.get("id") or link or text)
            details = {"url": link, "title": str(entry.get("title", "")), "date": _date(entry)}
            items.append((ident, text, {k: valid_text(v) for k, v in details.items()}))
    return outlet, items


def expand_feed(settings: Settings, path: Path, sandbox: Sandbox | None = None) -> list[Path]:
    """The article files of a feed's items, written or brought up to date; ArticleError
    with a one-line reason when the file is not a readable feed. With a `sandbox`, the
    feed is read in its worker, bounded in time and memory."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot be read ({exc.strerror or exc})") from None
    outlet, items = sandbox.run(path, read_feed, raw) if sandbox else read_feed(raw)
    name = _SLUG.sub("-", path.stem.lower()).strip("-")[:40] or "feed"
    key = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:12]
    folder = feeds_dir(settings) / f"{name}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for ident, text, details in items:
        item = (
            folder / f"item-{hashlib.sha256(ident.encode('utf-8', 'replace')).hexdigest()[:16]}.txt"
        )
        sidecar = {k: v for k, v in {**details, "outlet": outlet, "feed": str(path)}.items() if v}
        _write_if_changed(item.with_suffix(".json"), json.dumps(sidecar, ensure_ascii=False))
        _write_if_changed(item, text + "\n")
        written.append(item)
    return written
