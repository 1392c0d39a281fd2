"""The Claims tab's pictures: a timeline per speaker and an outlet-by-claim grid.

Vega-Lite charts built with Altair, which Gradio's `gr.Plot` draws with vega-embed in the
page. Each mark links (`href`) to the passage it stands for, highlighted in the app's own
source view, so a click opens it; vega-embed's menu saves a picture as SVG or PNG (its
"view source" and "open in the Vega editor" entries are left out: the editor is another
site, and would be sent the ledger). Both pictures draw a bounded number of marks and say
in their subtitle what they leave out, so a filter matching hundreds of claims still gives
a readable picture.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt

from bot.web.sources import source_link
from index.reporting_verbs import KINDS
from index.tracked import DISPUTES, Appearance, TrackedClaim

MAX_SPEAKERS = 15  # timeline rows
MAX_TIMELINE_CLAIMS = 120  # marks on the timeline
MAX_GRID_CLAIMS = 30  # grid rows
LANES = 8  # a speaker's claims of one day sit side by side in up to this many lanes
INFERRED = "dispute (inferred by the ledger)"
IN_FILTER, CONTEXT = "matches the filter", "outside the filter: the other side of a dispute"
FIRST, LATER = "first appearance", "also carried"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WIDTH = 600  # fits the page's column beside the legend; the grid grows with its outlets
Row = dict[str, Any]


def embed_options(name: str) -> dict[str, Any]:
    """vega-embed options carried in the spec (`usermeta.embedOptions`): Gradio passes
    none of its own but the menu, and vega-embed merges these over it."""
    return {
        "renderer": "svg",  # marks stay elements: sharp when saved, and each one clickable
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "downloadFileName": name,
        "loader": {"target": "_blank"},  # a passage opens beside the page, as the table's
    }


def day(a: Appearance) -> str:
    """The appearance's date as YYYY-MM-DD, or "" when it has none."""
    found = _DAY.match(a.date)
    return found.group(0) if found else ""


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _report_link(a: Appearance) -> str:
    return source_link(a.doc_id, a.start, a.end)


def _tips(*fields: str) -> list[alt.Tooltip]:
    # Channel objects, not "field:N" strings: Altair resolves those through its schema,
    # most of the time a picture takes to build.
    return [alt.Tooltip(field=f, type="nominal") for f in fields]


def _subtitle(lines: Iterable[str]) -> list[str]:
    return [line for line in lines if line]


# --- the timeline --------------------------------------------------------------------------


def timeline_claims(
    tracked: Sequence[TrackedClaim], most: int = MAX_TIMELINE_CLAIMS
) -> tuple[list[TrackedClaim], str]:
    """The dated claims the timeline draws (the `most` recent of the speakers with the
    most claims), and the note saying what it leaves out."""
    dated = [t for t in tracked if day(t.first_appearance)]
    speakers = {s for s, _ in Counter(t.speaker for t in dated).most_common(MAX_SPEAKERS)}
    theirs = sorted(
        (t for t in dated if t.speaker in speakers),
        key=lambda t: day(t.first_appearance),
        reverse=True,
    )
    drawn = theirs[:most]
    notes = []
    if len(drawn) < len(dated):
        notes.append(
            f"The {len(drawn)} most recent claims of the {len(speakers)} speakers with the "
            f"most claims, of {len(dated)} dated claims that match."
        )
    if len(dated) < len(tracked):
        notes.append(f"{len(tracked) - len(dated)} claim(s) without a date are not drawn.")
    return drawn, " ".join(notes)


def _counterparts(
    drawn: Sequence[TrackedClaim], by_id: Mapping[str, TrackedClaim]
) -> list[TrackedClaim]:
    """The other side of each drawn claim's inferred dispute, when the filter left it out."""
    ids = {t.id for t in drawn}
    found: dict[str, TrackedClaim] = {}
    for t in drawn:
        for link in t.links:
            other = by_id.get(link["claim"])
            if (
                link["kind"] in (DISPUTES, "disputed by")
                and other is not None
                and other.id not in ids
                and day(other.first_appearance)
            ):
                found[other.id] = other
    return list(found.values())


def _claim_rows(drawn: Sequence[TrackedClaim], context: Sequence[TrackedClaim]) -> list[Row]:
    """One row per claim; claims of one speaker and day take the next lane."""
    rows, lanes, outside = [], Counter[tuple[str, str]](), {t.id for t in context}
    for t in [*drawn, *context]:
        first = t.first_appearance
        key = (t.speaker, day(first))
        rows.append(
            {
                "id": t.id,
                "speaker": t.speaker,
                "date": day(first),
                "kind": t.kind,
                "claim": short(t.text, 160),
                "outlets": t.outlets,
                "first reported by": first.outlet,
                "disputed": "yes (inferred by the ledger)" if t.disputed else "no",
                "shown": CONTEXT if t.id in outside else IN_FILTER,
                "opacity": 0.35 if t.id in outside else 1.0,
                "link": _report_link(first),
                "lane": lanes[key] % LANES,
                # What a screen reader says of the mark (Vega's aria description).
                "aria": f"{t.speaker}, {t.kind}, {day(first)}"
                + (", disputed (inferred)" if t.disputed else "")
                + (", outside the filter" if t.id in outside else "")
                + f": {short(t.text, 160)}",
            }
        )
        lanes[key] += 1
    return rows


def _dispute_rows(rows: Sequence[Row], drawn: Sequence[TrackedClaim]) -> list[Row]:
    """Two rows (the line's ends) for each inferred dispute whose claims are both drawn."""
    at = {r["id"]: r for r in rows}
    ends = []
    for t in drawn:
        for link in t.links:
            if link["kind"] != DISPUTES or link["claim"] not in at or t.id not in at:
                continue
            denial, denied = at[t.id], at[link["claim"]]
            tip = (
                f"{denial['speaker']} denies what {denied['speaker']} said "
                "(a link the ledger inferred; the articles do not state it)"
            )
            for end in (denial, denied):
                ends.append(
                    {
                        "pair": f"{t.id}>{link['claim']}",
                        "speaker": end["speaker"],
                        "date": end["date"],
                        "lane": end["lane"],
                        "link_kind": INFERRED,
                        "dispute": tip,
                        "aria": f"Inferred dispute: {tip}",
                    }
                )
    return ends


def timeline_chart(
    tracked: Sequence[TrackedClaim],
    by_id: Mapping[str, TrackedClaim],
    most: int = MAX_TIMELINE_CLAIMS,
) -> alt.TopLevelMixin | None:
    """Each claim a mark on the date it was first reported, one row per speaker, coloured
    by kind; inferred disputes drawn as dashed lines between the two claims (and the other
    side of a dispute drawn faint when the filter leaves it out)."""
    drawn, note = timeline_claims(tracked, most)
    if not drawn:
        return None
    context = _counterparts([t for t in drawn if t.disputed], by_id)
    rows = _claim_rows(drawn, context)
    speakers = list(dict.fromkeys(r["speaker"] for r in rows))
    x = alt.X("date:T", title="first reported", axis=alt.Axis(format="%d %b %Y"))
    y = alt.Y("speaker:N", sort=speakers, title=None, scale=alt.Scale(paddingInner=0.2))
    lanes = max(r["lane"] for r in rows) + 1
    lane = alt.YOffset("lane:N", scale=alt.Scale(domain=list(range(lanes))))
    marks = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_point(filled=True, size=80)
        .encode(
            x=x,
            y=y,
            yOffset=lane,
            color=alt.Color("kind:N", scale=alt.Scale(domain=list(KINDS)), title="kind"),
            opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
            href=alt.Href("link:N"),
            description=alt.Description("aria:N"),
            tooltip=[
                *_tips("speaker", "kind"),
                alt.Tooltip("date:T", format="%d %b %Y", title="first reported"),
                *_tips("first reported by"),
                alt.Tooltip("outlets:Q"),
                *_tips("disputed", "shown", "claim"),
            ],
        )
    )
    layers: list[Any] = [marks]
    ends = _dispute_rows(rows, drawn)
    if ends:
        lines = (
            alt.Chart(alt.InlineData(values=ends))
            .mark_line(color="#cf222e", strokeWidth=1.5)
            .encode(
                x=x,
                y=y,
                yOffset=lane,
                detail=alt.Detail("pair:N"),
                strokeDash=alt.StrokeDash(
                    "link_kind:N",
                    scale=alt.Scale(domain=[INFERRED], range=[[5, 3]]),
                    title="link",
                ),
                description=alt.Description("aria:N"),
                tooltip=[alt.Tooltip("dispute:N", title="inferred dispute")],
            )
        )
        layers.insert(0, lines)
    subtitle = _subtitle(
        [note, "Dashed lines: disputes the ledger infers. Click a mark to open its passage."]
    )
    return alt.layer(*layers).properties(
        width=_WIDTH,
        height=alt.Step(max(8, 28 // lanes)),
        title=alt.Title("Claims by speaker over time", subtitle=subtitle, anchor="start"),
        usermeta={"embedOptions": embed_options("claims-timeline")},
    )


# --- the grid ------------------------------------------------------------------------------


def _grid_rows(ranked: Sequence[TrackedClaim]) -> list[Row]:
    """One cell per claim and outlet: that outlet's first report, and whether it is the
    claim's first appearance."""
    rows = []
    for n, t in enumerate(ranked, 1):
        label = f"{n}. {short(t.speaker, 24)}: {short(t.text, 48)}"
        first_doc = t.first_appearance.doc_id
        seen: set[str] = set()
        for a in t.reports():
            if a.outlet in seen:
                continue
            seen.add(a.outlet)
            where = FIRST if a.doc_id == first_doc else LATER
            rows.append(
                {
                    "claim": label,
                    "outlet": a.outlet,
                    "appearance": where,
                    "date": a.date,
                    "credited to": a.credited_to or "-",
                    "passage": short(a.quote, 160),
                    "link": _report_link(a),
                    "aria": f"{a.outlet}, {a.date}, {where}: {label}",
                }
            )
    return rows


def grid_chart(
    tracked: Sequence[TrackedClaim], most: int = MAX_GRID_CLAIMS
) -> alt.TopLevelMixin | None:
    """Which outlet carried which claim, the `most` widely reported claims first (the
    table's order); the outlet of the claim's first appearance marked."""
    if not tracked:
        return None
    ordered = sorted(tracked, key=lambda t: (-t.outlets, t.first_appearance.date))
    ranked = ordered[:most]
    rows = _grid_rows(ranked)
    note = ""
    if len(ranked) < len(ordered):
        note = f"The {len(ranked)} most widely reported of {len(ordered)} claims that match."
    subtitle = _subtitle([note, "Click a mark to open that outlet's passage."])
    chart: alt.TopLevelMixin = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_point(filled=True, size=140)
        .encode(
            x=alt.X("outlet:N", sort="ascending", title=None, axis=alt.Axis(orient="top")),
            y=alt.Y(
                "claim:N",
                sort=list(dict.fromkeys(r["claim"] for r in rows)),
                title=None,
                axis=alt.Axis(labelLimit=320),
            ),
            shape=alt.Shape(
                "appearance:N",
                scale=alt.Scale(domain=[FIRST, LATER], range=["diamond", "circle"]),
                title=None,
            ),
            color=alt.Color(
                "appearance:N",
                scale=alt.Scale(domain=[FIRST, LATER], range=["#bc4c00", "#0969da"]),
                title=None,
            ),
            href=alt.Href("link:N"),
            description=alt.Description("aria:N"),
            tooltip=_tips("outlet", "appearance", "date", "credited to", "claim", "passage"),
        )
        .properties(
            width=alt.Step(34),
            height=alt.Step(20),
            title=alt.Title("Who carried which claim", subtitle=subtitle, anchor="start"),
            usermeta={"embedOptions": embed_options("claims-outlets")},
        )
    )
    return chart
