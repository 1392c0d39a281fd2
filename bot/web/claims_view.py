"""The Claims tab's content: the ledger as the filters select it, drawn as an HTML table
and as pictures (pictures.py), and the quote provenance box's result.

Kept apart from page.py, which lays the tab out and wires its filters here. The table
reads the ledger for an English reader: the speaker's other names under the name, what
was said marked apart from who said it, how the claim is given (its English gloss marked
as a machine translation, or quoted as written and in which language), each article's
report once, and the links the ledger inferred between claims.
"""

import html
import logging
from typing import Any

from bot.chain import Bot
from bot.ledger import also_named, filter_ledger, reading_note
from bot.provenance import NOT_FOUND, Version, trace
from bot.web.answers_view import short
from bot.web.pictures import grid_chart, timeline_chart
from bot.web.sources import source_link
from index.claims import content_spans
from index.errors import ClaimbotError, QuestionError
from index.names import language_name
from index.tracked import DISPUTED_BY, DISPUTES, RESPONDED_BY, RESPONDS_TO, TrackedClaim

log = logging.getLogger("claimbot")

ALL = "(all)"


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


def _link_line(kind: str, other: TrackedClaim | None) -> str:
    if other is None:
        return ""
    label = {
        DISPUTED_BY: "denied by",
        DISPUTES: "denies the claim of",
        RESPONDED_BY: "answered by",
        RESPONDS_TO: "answers the claim of",
    }.get(kind, kind)
    return (
        f"<br><small><i>inferred link</i>: {html.escape(label)} "
        f"<b>{html.escape(other.speaker)}</b>: “{html.escape(short(other.text))}”</small>"
    )


def _said(text: str) -> str:
    """A claim's text escaped, with what was said marked: its quotation, or the clause its
    reporting verb introduces (`content_spans`), apart from who said it."""
    parts, at = [], 0
    for a, b in content_spans(text):
        parts += [html.escape(text[at:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        at = b
    return "".join(parts) + html.escape(text[at:])


def matching_claims(
    bot: Bot, speaker: str, outlet: str, disputed: bool = False, many: bool = False
) -> list[TrackedClaim]:
    """What the Claims tab's filter selects: the table and the pictures show these."""
    who, where = ("" if speaker == ALL else speaker), ("" if outlet == ALL else outlet)
    return filter_ledger(bot.ledger, who, where, disputed, many)


def render_pictures(
    bot: Bot, speaker: str, outlet: str, disputed: bool = False, many: bool = False
) -> tuple[Any, Any]:
    """The timeline and the outlet grid of the claims the filter selects (None: nothing
    to draw)."""
    tracked = matching_claims(bot, speaker, outlet, disputed, many)
    return timeline_chart(tracked, bot.ledger_index().by_id), grid_chart(tracked)


MAX_CLAIM_ROWS = 200  # a page is not the place for a 100k-claim table: filters narrow it


def render_claims(
    bot: Bot,
    speaker: str,
    outlet: str,
    disputed: bool = False,
    many: bool = False,
    limit: int = MAX_CLAIM_ROWS,
) -> str:
    """The ledger as an HTML table; every value escaped, every appearance a source link."""
    tracked = matching_claims(bot, speaker, outlet, disputed, many)
    if not tracked:
        return "<p>No tracked claims match.</p>"
    by_id = bot.ledger_index().by_id
    rows = []
    ordered = sorted(tracked, key=lambda t: (-t.outlets, t.first_appearance.date))
    for t in ordered[:limit]:
        appearances = report_links(t)
        flags = "<br>".join(html.escape(f) for f in t.flags)
        if t.disputed:
            flags = "<b>disputed</b> (inferred)" + ("<br>" + flags if flags else "")
        links = "".join(_link_line(link["kind"], by_id.get(link["claim"])) for link in t.links)
        role = f"<br><small>{html.escape(t.role)}</small>" if t.role else ""
        rows.append(
            f"<tr><td>{speaker_cell(t)}{role}</td><td>{_said(t.text)}{reading_line(t)}"
            f"<br><small>{html.escape(t.kind)}</small>{links}</td>"
            f"<td>{t.outlets}<br>{appearances}</td>"
            f"<td>{html.escape(t.first_appearance.date)}</td><td>{flags}</td></tr>"
        )
    head = (
        "<tr><th>Speaker</th><th>Claim</th><th>Outlets</th><th>First seen</th><th>Flags</th></tr>"
    )
    more = ""
    if len(ordered) > limit:
        more = (
            f"<p>The {limit:,} most widely reported of {len(ordered):,} claims; "
            "choose a speaker or an outlet to see the others.</p>"
        )
    return f'{more}<table class="claims">{head}{"".join(rows)}</table>'


def claim_filters(bot: Bot) -> tuple[list[str], list[str]]:
    speakers = sorted({t.speaker for t in bot.ledger})
    outlets = sorted({a.outlet for t in bot.ledger for a in t.appearances})
    return [ALL, *speakers], [ALL, *outlets]


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
