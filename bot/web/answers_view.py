"""An answer as the page's chat shows it: Markdown whose citation markers link to the
highlighted source, every other piece of text escaped so nothing in it acts.

Kept apart from page.py, which lays the page out: the chat's turns (chat.py) and the
upload report (uploads.py) write their text with these, and the load client reads the
chat's questions back with `unescape_markdown`.
"""

import logging
import re
from typing import Any

from bot.answer import Answer
from bot.web.sources import source_link
from index.decode import repair_mojibake
from index.errors import (
    ArticleError,
    ClaimbotError,
    IndexBusyError,
    LLMError,
    QuestionError,
)
from index.metadata import UNKNOWN

log = logging.getLogger("claimbot")

_MARKER = re.compile(r"\[(\d+)\]")
# `.` `:` `@` too: the page turns bare "https://", "www." and e-mail text into live links.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~^.:@])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()<>#+!|~^.:@])")


def escape_markdown(text: str) -> str:
    """Text shown as-is: no markdown, image or link in an article or a model reply acts."""
    return _MARKDOWN.sub(r"\\\1", text)


def unescape_markdown(text: str) -> str:
    """The text `escape_markdown` was given (a question as the chat shows it)."""
    return _ESCAPED.sub(r"\1", text)


def linked(text: str, answer: Answer) -> str:
    """Escape the text and turn each citation marker into a link to its passage."""
    by_n = {c.n: c for c in answer.citations}
    pieces: list[str] = []
    cursor = 0
    for match in _MARKER.finditer(text):
        citation = by_n.get(int(match.group(1)))
        if citation is None:
            continue
        pieces.append(escape_markdown(text[cursor : match.start()]))
        link = source_link(citation.doc_id, citation.start, citation.end)
        pieces.append(f"[\\[{citation.n}\\]]({link})")
        cursor = match.end()
    pieces.append(escape_markdown(text[cursor:]))
    return "".join(pieces)


def short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def render_answer(answer: Answer) -> str:
    """Markdown for one answer: notice, partial text, the answer, and its sources."""
    parts: list[str] = []
    if answer.notice:
        parts.append(f"**⚠ {escape_markdown(answer.notice)}**")
    if answer.partial:
        parts.append(f"*Incomplete answer, cut off:*\n\n> {escape_markdown(answer.partial)} …")
    if answer.standalone:
        parts.append(f"*Understood as:* {escape_markdown(answer.standalone)}")
    parts.append(linked(answer.answer, answer))
    if answer.citations:
        rows = []
        for c in answer.citations:
            outlet = c.outlet if c.outlet != UNKNOWN else "outlet unknown"
            date = f", {c.date}" if c.date != UNKNOWN else ""
            link = source_link(c.doc_id, c.start, c.end)
            badge = f" · *{c.role}*" if c.role else ""
            if c.claim_outlets > 1:
                badge += f" · reported by {c.claim_outlets} outlets"
            if c.claim_disputed:
                badge += " · **disputed (inferred by the ledger)**"
            rows.append(
                f"[\\[{c.n}\\]]({link}) **{escape_markdown(outlet)}**{date} — "
                f"“{escape_markdown(short(repair_mojibake(c.quote)))}”{badge}"
            )
        parts.append("**Sources**\n\n" + "\n\n".join(rows))
    for flag in answer.flags:
        parts.append(f"*⚠ check: {escape_markdown(flag)}*")
    return "\n\n".join(parts)


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message, whichever shape Gradio gives its content."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def user_message(exc: ClaimbotError) -> str:
    """What the page says about a failure: the reason when it is the user's to fix, else a
    short note (the store's own message names server paths; /healthz and the log have it)."""
    if isinstance(exc, QuestionError | LLMError | ArticleError):
        return str(exc)
    if isinstance(exc, IndexBusyError):
        return (
            "Another ingest is writing to the index right now. Your files are kept; add them "
            "again in a moment (or they are indexed at the next start)."
        )
    log.warning("question failed: %s", exc)
    return (
        "The index cannot be read right now, so nothing was answered; try again in a moment "
        "(the server log and /healthz say why)."
    )
