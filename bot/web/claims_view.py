"""Pieces of the Claims tab that read the ledger for an English reader (page.py uses them).

Kept apart from page.py: the speaker's other names under the name, how the claim is
given (its English gloss marked as a machine translation, or quoted as written and in
which language), each article's report once, and the quote provenance box's result.
"""

import html
import logging

from bot.chain import Bot
from bot.ledger import also_named, reading_note
from bot.provenance import NOT_FOUND, Version, trace
from bot.web.sources import source_link
from index.errors import ClaimbotError, QuestionError
from index.names import language_name
from index.tracked import TrackedClaim

log = logging.getLogger("claimbot")


def speaker_cell(t: TrackedClaim) -> str:
    """The speaker's canonical name, with the other names the ledger knows them by."""
    also = also_named(t)
    return html.escape(t.speaker) + (f"<br><small>{html.escape(also)}</small>" if also else "")


def reading_line(t: TrackedClaim) -> str:
    """A line under the claim: the English gloss (a machine translation) or the language
    it is quoted in; nothing for a claim quoted in English."""
    note = reading_note(t)
    return f'<br><small class="reading">{html.escape(note)}</small>' if note else ""


def report_links(t: TrackedClaim) -> str:
    """Each article that reported the claim once, linked to its highlighted passage (with
    its language, when the ledger joined reports in several)."""
    several = len(t.languages()) > 1
    return "<br>".join(
        f'<a href="{html.escape(source_link(a.doc_id, a.start, a.end))}" target="_blank">'
        f"{html.escape(a.outlet)}, {html.escape(a.date)}</a>"
        + (f" <small>in {html.escape(language_name(a.language))}</small>" if several else "")
        + (f" <small>via {html.escape(a.credited_to)}</small>" if a.credited_to else "")
        for a in t.reports()
    )


def render_provenance(bot: Bot, quote: str) -> str:
    """The provenance box's answer as HTML: the earliest appearance, every outlet with its
    date and what its words change, each linked to its passage; or not in the archive."""
    if not quote.strip():
        return ""
    try:
        bot.refresh()
        found = trace(bot.ledger_index(), bot.embedder, quote, bot.settings.max_question_chars)
    except QuestionError as exc:
        return f"<p>{html.escape(str(exc))}</p>"
    except ClaimbotError as exc:
        log.warning("provenance failed: %s", exc)
        return "<p>The index cannot be read right now; try again in a moment.</p>"
    if not found.found:
        return f"<p>{html.escape(NOT_FOUND)}</p>"
    how = "word for word" if found.match == "verbatim" else "by meaning, names and numbers"
    first, *rest = found.versions
    rows = [f"<li><b>Earliest</b>: {_version_link(first)} — “{html.escape(first.quote)}”</li>"]
    rows += [f"<li>{_version_link(v)}: {_changes(v)}</li>" for v in rest]
    return (
        f"<p>Found {how}, said by <b>{html.escape(first.speaker)}</b>; "
        f"{len(found.versions)} version(s).</p><ul class='provenance'>{''.join(rows)}</ul>"
    )


def _version_link(v: Version) -> str:
    link = html.escape(source_link(v.doc_id, v.start, v.end))
    return f'<a href="{link}" target="_blank">{html.escape(v.outlet)}, {html.escape(v.date)}</a>'


def _changes(v: Version) -> str:
    """What this version's words change from the earliest: struck out and put in."""
    if not v.changes:
        return "the same words"
    parts = []
    for c in v.changes:
        gone = f"<del>{html.escape(c['earliest'])}</del>" if c["earliest"] else ""
        added = f"<ins>{html.escape(c['this'])}</ins>" if c["this"] else ""
        parts.append(" ".join(p for p in (gone, added) if p))
    return "; ".join(parts)
