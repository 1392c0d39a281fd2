"""Pieces of the Claims tab that read the ledger for an English reader (page.py uses them).

Kept apart from page.py: the speaker's other names under the name, how the claim is
given (its English gloss marked as a machine translation, or quoted as written and in
which language), and each article's report once.
"""

import html

from bot.ledger import also_named, reading_note
from bot.web.sources import source_link
from index.tracked import TrackedClaim


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
    """Each article that reported the claim once, linked to its highlighted passage."""
    return "<br>".join(
        f'<a href="{html.escape(source_link(a.doc_id, a.start, a.end))}" target="_blank">'
        f"{html.escape(a.outlet)}, {html.escape(a.date)}</a>"
        + (f" <small>via {html.escape(a.credited_to)}</small>" if a.credited_to else "")
        for a in t.reports()
    )
