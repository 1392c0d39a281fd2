"""The claim ledger's records: a tracked claim, its appearances, and the kinds of link.

Built on the write path (index/ledger.py), read on the read path (bot/ledger.py).
"""

from dataclasses import dataclass, field
from typing import Any

DISPUTES, DISPUTED_BY = "disputes", "disputed by"
RESPONDS_TO, RESPONDED_BY = "responds to", "responded to by"


@dataclass(frozen=True)
class Appearance:
    """One report of a claim: where, when, by whom credited, and the exact span."""

    claim_id: str
    source: str
    doc_id: str
    outlet: str
    date: str
    start: int
    end: int
    quote: str
    credited_to: str
    kind: str
    verb: str
    url: str = ""  # the article's URL, when its sidecar gives one


@dataclass
class TrackedClaim:
    """One claim with every appearance, its flags and its links to other claims."""

    id: str
    speaker: str
    role: str
    kind: str
    text: str
    appearances: list[Appearance]
    outlets: int = 1
    flags: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)

    @property
    def first_appearance(self) -> Appearance:
        return self.appearances[0]

    @property
    def disputed(self) -> bool:
        return any(link["kind"] in (DISPUTES, DISPUTED_BY) for link in self.links)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "role": self.role,
            "text": self.text,
            "kind": self.kind,
            "outlets": self.outlets,
            "disputed": self.disputed,
            "flags": self.flags,
            "links": self.links,
            "first_appearance": appearance_json(self.first_appearance),
            "appearances": [appearance_json(a) for a in self.appearances],
        }


def appearance_json(a: Appearance) -> dict[str, Any]:
    return {
        "source": a.source,
        "outlet": a.outlet,
        "date": a.date,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "credited_to": a.credited_to,
        "url": a.url,
    }
