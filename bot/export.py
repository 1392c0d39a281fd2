"""Exports of the claim ledger for other fact-checking tools: JSON-LD and CSV."""

from collections.abc import Iterable
from typing import Any

from index.metadata import UNKNOWN
from index.tracked import Appearance, TrackedClaim, appearance_json


def to_jsonld(tracked: Iterable[TrackedClaim]) -> dict[str, Any]:
    """The ledger as schema.org Claims (appearance, firstAppearance, author)."""

    def work(a: Appearance) -> dict[str, Any]:
        node: dict[str, Any] = {
            "@type": "CreativeWork",
            "name": a.source,
            "publisher": {"@type": "Organization", "name": a.outlet},
            "text": a.quote,
            "position": f"{a.start}-{a.end}",
        }
        if a.date != UNKNOWN:
            node["datePublished"] = a.date
        if a.credited_to:
            node["isBasedOn"] = {"@type": "Organization", "name": a.credited_to}
        return node

    graph = []
    for t in tracked:
        author: dict[str, Any] = {"@type": "Person", "name": t.speaker}
        if t.role:
            author["jobTitle"] = t.role
        graph.append(
            {
                "@type": "Claim",
                "@id": f"urn:claimbot:claim:{t.id}",
                "text": t.text,
                "author": author,
                "firstAppearance": work(t.first_appearance),
                "appearance": [work(a) for a in t.appearances],
                "keywords": [t.kind, *(["disputed"] if t.disputed else [])],
                "comment": [{"@type": "Comment", "text": f} for f in t.flags],
                "isRelatedTo": [
                    {"@id": f"urn:claimbot:claim:{link['claim']}", "description": link["kind"]}
                    for link in t.links
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


CSV_FIELDS = [
    "claim_id", "speaker", "role", "kind", "claim", "outlets", "disputed", "flags", "source",
    "outlet", "date", "start", "end", "quote", "credited_to",
]  # fmt: skip


def to_csv_rows(tracked: Iterable[TrackedClaim]) -> list[dict[str, Any]]:
    """One row per appearance, for spreadsheets and other fact-checking tools."""
    return [
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
        for a in t.appearances
    ]
