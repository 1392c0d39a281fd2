"""Quote provenance: where a pasted quote or paraphrase first appeared in the archive.

The quote is matched against the ledger's claims through their vectors (the index's
embedder, multilingual, so an English paraphrase finds an Indonesian quote) and checked
against their words. A claim carries the quote when

- one of its appearances holds the quote's wording (rapidfuzz's best-aligned part, so a
  quote cut from a longer sentence counts) and it is close in meaning: any of the closest
  claims, so the same words grouped apart are found too; or
- it is the closest claim, close enough in meaning, and has every name and number of the
  quote in any spelling or language (North Korea / Korut; the answer step's own check,
  bot/decide.py): a paraphrase or a translation.

The thresholds were measured on a few real cases (BENCHMARKS.md). The answer: the
earliest appearance, every outlet that carried it with its date, and the word-level
differences of each version from the earliest; or that it is not in the archive.
"""

import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from rapidfuzz import fuzz

from bot.decide import question_terms, signals
from bot.ledger import LedgerIndex
from index.embed import Embedder
from index.errors import QuestionError
from index.ledger import appearance_order
from index.tracked import Appearance, TrackedClaim

CANDIDATES = 10  # closest claims looked at
VERBATIM_WORDING = 80  # least rapidfuzz partial ratio of the quote and an appearance
VERBATIM_COSINE = 0.85
PARAPHRASE_COSINE = 0.862  # and all of its names and numbers, for the closest claim only
NOT_FOUND = "Not in the archive: no claim in the indexed articles says this."
_TOKEN = re.compile(r"\S+")


@dataclass
class Version:
    """One outlet's version of the quote, and how its words differ from the earliest."""

    outlet: str
    date: str
    source: str
    doc_id: str
    start: int
    end: int
    quote: str
    url: str
    speaker: str
    claim: str
    changes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Provenance:
    """Where the quote comes from: its versions, earliest first; none when not found."""

    quote: str
    match: str  # "verbatim", "paraphrase", or "" when not in the archive
    versions: list[Version]

    @property
    def found(self) -> bool:
        return bool(self.versions)

    def to_json(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "found": self.found,
            "match": self.match,
            "message": "" if self.found else NOT_FOUND,
            "earliest": asdict(self.versions[0]) if self.versions else None,
            "versions": [asdict(v) for v in self.versions],
        }


def trace(index: LedgerIndex, embedder: Embedder, quote: str, limit: int = 2000) -> Provenance:
    """The provenance of a pasted quote or paraphrase (English or Indonesian)."""
    quote = " ".join(quote.split())
    if not quote:
        raise QuestionError("Paste a quote or a paraphrase to trace.")
    if len(quote) > limit:
        raise QuestionError(f"The quote is over {limit:,} characters; paste a shorter part.")
    claims, match = _matching(index, embedder, quote)
    reports = sorted(
        ((a, t) for t in claims for a in t.reports()), key=lambda p: appearance_order(p[0])
    )
    versions = [_version(a, t) for a, t in reports]
    for v in versions[1:]:
        v.changes = word_changes(versions[0].quote, v.quote)
    return Provenance(quote, match if versions else "", versions)


def _matching(index: LedgerIndex, embedder: Embedder, quote: str) -> tuple[list[TrackedClaim], str]:
    """The claims that carry the quote, and how it matched them."""
    vector = embedder.embed_passages([quote])[0]  # as the claims were embedded
    terms = question_terms(quote)
    verbatim, paraphrase = [], []
    wording = " ".join(quote.lower().split())
    for n, (claim, cosine) in enumerate(index.closest(vector, CANDIDATES)):
        if cosine >= VERBATIM_COSINE and any(
            fuzz.partial_ratio(wording, " ".join(a.quote.lower().split())) >= VERBATIM_WORDING
            for a in claim.appearances
        ):
            verbatim.append(claim)
            continue
        text = " ".join(a.quote for a in claim.appearances)
        _, names, _ = signals(terms, text, cosine)
        if n == 0 and cosine >= PARAPHRASE_COSINE and (names == 1.0 or not terms.anchors):
            paraphrase.append(claim)
    if verbatim:
        return verbatim, "verbatim"
    return paraphrase, "paraphrase"


def _version(a: Appearance, t: TrackedClaim) -> Version:
    return Version(
        a.outlet, a.date, a.source, a.doc_id, a.start, a.end, a.quote, a.url, t.speaker, t.id
    )


def word_changes(earliest: str, other: str) -> list[dict[str, str]]:
    """The word-level differences of `other` from `earliest`: what was replaced, taken out
    or put in, each with the words on both sides."""
    old, new = _TOKEN.findall(earliest), _TOKEN.findall(other)
    changes = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            changes.append(
                {"op": op, "earliest": " ".join(old[i1:i2]), "this": " ".join(new[j1:j2])}
            )
    return changes


def marked(changes: list[dict[str, str]]) -> str:
    """The changes as text: [-taken out-] {+put in+}."""
    parts = []
    for c in changes:
        gone = f"[-{c['earliest']}-]" if c["earliest"] else ""
        added = f"{{+{c['this']}+}}" if c["this"] else ""
        parts.append(" ".join(p for p in (gone, added) if p))
    return "; ".join(parts)
