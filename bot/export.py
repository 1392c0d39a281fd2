"""Exports of the claim ledger for other fact-checking tools: JSON-LD and CSV.

JSON-LD uses schema.org (`Claim`, `CreativeWork`, `Person`, `Organization`) and, for what
schema.org has no property for, the claimbot vocabulary `urn:claimbot:vocab:`
(prefix `claimbot:`), documented in README ("Exports"): `claimbot:disputes`,
`claimbot:disputedBy`, `claimbot:respondsTo`, `claimbot:respondedToBy` link one claim to
another, and every such link is an inference of the ledger (`claimbot:inferred: true`),
never something an article says. Dates are ISO 8601 or left out.
"""

import datetime
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from index.lexicon import BODY_WORDS
from index.tracked import (
    DISPUTED_BY,
    DISPUTES,
    RESPONDED_BY,
    RESPONDS_TO,
    Appearance,
    TrackedClaim,
    appearance_json,
)

VOCAB = "urn:claimbot:vocab:"
LINK_TERMS = {
    DISPUTES: "claimbot:disputes",
    DISPUTED_BY: "claimbot:disputedBy",
    RESPONDS_TO: "claimbot:respondsTo",
    RESPONDED_BY: "claimbot:respondedToBy",
}
_ACRONYM = re.compile(r"[A-Z]{2,}")
_WORD = re.compile(r"[\w'-]+")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@cache
def _place_names() -> frozenset[str]:
    """Country and territory names in English and Indonesian (CLDR, via Babel), with the
    blends Indonesian news makes of two-word names (Korea Utara -> Korut, Korea Selatan
    -> Korsel)."""
    from babel import Locale

    names: set[str] = set()
    for language in ("en", "id"):
        for place in Locale(language).territories.values():
            names.add(place.casefold())
            words = place.casefold().split()
            if len(words) == 2:  # Indonesian blends of a two-word name: Korea Utara -> Korut
                first, second = words
                names.update(first[:i] + second[:j] for i in range(2, 6) for j in range(2, 5))
    return frozenset(names)


# People described by the body they speak for: "a spokesman for the Department of Health".
_SPEAKS_FOR = re.compile(
    r"(?i:an?|the|one)\s+(?:[\w-]+\s+)?(?:spokesperson|spokesman|spokeswoman|official|"
    r"representative|officer|author|poster|source)\b"
)
_WEB_NAME = re.compile(r"\.(?:com|org|net|co\.uk)$", re.IGNORECASE)  # "Gawker.com"


def speaker_type(name: str) -> str:
    """`Organization` for a body, a state, an acronym or a website; `Person` otherwise, and
    for someone described by the body they speak for."""
    words = _WORD.findall(name)
    if not words or _WEB_NAME.search(name.strip()):
        return "Organization"
    if _SPEAKS_FOR.match(name.strip()):
        return "Person"
    if any(w.casefold() in BODY_WORDS for w in words) or _ACRONYM.fullmatch(name.strip()):
        return "Organization"
    if name.strip().casefold() in _place_names():
        return "Organization"
    return "Person"


def iso_date(value: str) -> str | None:
    """The date when it is a real ISO 8601 date, else None (never "9999-99-99")."""
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def to_jsonld(tracked: Iterable[TrackedClaim]) -> dict[str, Any]:
    """The ledger as schema.org Claims (appearance, firstAppearance, author)."""

    def work(a: Appearance) -> dict[str, Any]:
        node: dict[str, Any] = {
            "@type": "CreativeWork",
            "name": a.url or a.source.rsplit("/", 1)[-1],
            "publisher": {"@type": "Organization", "name": a.outlet},
            "text": a.quote,
            "position": f"{a.start}-{a.end}",
        }
        if a.url:
            node["url"] = a.url
        if date := iso_date(a.date):
            node["datePublished"] = date
        if a.credited_to:  # the wire story this report is based on, by its agency
            wire = {"@type": "Organization", "name": a.credited_to}
            node["isBasedOn"] = {"@type": "CreativeWork", "publisher": wire}
        return node

    graph = []
    for t in tracked:
        author: dict[str, Any] = {"@type": speaker_type(t.speaker), "name": t.speaker}
        if t.role and author["@type"] == "Person":
            author["jobTitle"] = t.role
        node: dict[str, Any] = {
            "@type": "Claim",
            "@id": f"urn:claimbot:claim:{t.id}",
            "text": t.text,
            "author": author,
            "firstAppearance": work(t.first_appearance),
            "appearance": [work(a) for a in t.reports()],
            "keywords": [t.kind, *(["disputed"] if t.disputed else [])],
            "comment": [{"@type": "Comment", "text": f} for f in t.flags],
        }
        for link in t.links:
            term = LINK_TERMS.get(link["kind"])
            if term:
                target = {"@id": f"urn:claimbot:claim:{link['claim']}", "claimbot:inferred": True}
                node.setdefault(term, []).append(target)
        graph.append(node)
    return {"@context": ["https://schema.org", {"claimbot": VOCAB}], "@graph": graph}


CSV_FIELDS = [
    "claim_id", "speaker", "role", "kind", "claim", "outlets", "disputed", "flags", "source",
    "outlet", "date", "start", "end", "quote", "credited_to", "url", "language",
]  # fmt: skip


def cell(value: Any) -> Any:
    """A spreadsheet cell that never runs: text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def to_csv_rows(tracked: Iterable[TrackedClaim]) -> list[dict[str, Any]]:
    """One row per appearance (per article), for spreadsheets and other fact-checking tools."""
    rows = [
        {
            "claim_id": t.id,
            "speaker": t.speaker,
            "role": t.role,
            "kind": t.kind,
            "claim": t.text,
            "outlets": t.outlets,
            "disputed": t.disputed,
            "flags": " | ".join(t.flags),
            **appearance_json(a),
        }
        for t in tracked
        for a in t.reports()
    ]
    return [{k: cell(v) for k, v in row.items()} for row in rows]
