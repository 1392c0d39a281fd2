"""What differs between the appearances of one claim, said to a reader in English.

A tracked claim reported by several outlets is counted once per independent outlet (a
wire story reprinted under the same credit is one report), and what a human should check
between its versions is flagged in a sentence: another credit for the same quote, other
dates or numbers, drifted quoted wording.
"""

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from index.metadata import UNKNOWN
from index.tracked import Appearance

REPRINT = 0.95  # text similarity at which two appearances are one wire story reprinted
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,})[\"”]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def count_outlets(appearances: Sequence[Appearance]) -> int:
    """Outlets that reported it independently: a near-copy under the same credit is a reprint."""
    independent: list[Appearance] = []
    for a in appearances:
        if a.outlet in {i.outlet for i in independent}:
            continue
        if any(
            a.credited_to == i.credited_to != "" and similar(a.quote, i.quote) >= REPRINT
            for i in independent
        ):
            continue
        independent.append(a)
    return len(independent)


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, " ".join(a.split()).lower(), " ".join(b.split()).lower()).ratio()


def _per_article(appearances: Sequence[Appearance]) -> list[Appearance]:
    """One appearance per article: two sentences of one report are not two versions."""
    return list({a.doc_id: a for a in reversed(appearances)}.values())[::-1]


def _listing(pairs: Sequence[tuple[str, str]]) -> str:
    """ "Medcom: Al Jazeera; kumparan: AFP", each pair once."""
    return "; ".join(f"{outlet}: {value}" for outlet, value in dict.fromkeys(pairs))


def flag_differences(appearances: Sequence[Appearance]) -> list[str]:
    """What a human should check between the appearances of one claim, one sentence each."""
    if len({a.doc_id for a in appearances}) < 2:
        return []
    flags: list[str] = []
    each = _per_article(appearances)
    if len({a.credited_to for a in appearances if a.credited_to}) > 1:
        credits = _listing([(a.outlet, a.credited_to or "no credit") for a in each])
        flags.append(f"The outlets credit it to different sources ({credits}).")
    if len({a.date for a in appearances if a.date != UNKNOWN}) > 1:
        dates = _listing([(a.outlet, a.date) for a in each])
        flags.append(f"The outlets give different dates ({dates}).")
    numbers = [frozenset(_NUMBER.findall(a.quote)) for a in appearances]
    if len(set(numbers)) > 1 and all(numbers):
        found: dict[str, frozenset[str]] = {a.doc_id: frozenset() for a in each}
        for a, n in zip(appearances, numbers, strict=True):
            found[a.doc_id] |= n
        listed = _listing([(a.outlet, ", ".join(sorted(found[a.doc_id]))) for a in each])
        flags.append(f"The outlets give different numbers ({listed}).")
    quotes = [q for a in appearances for q in _QUOTED.findall(a.quote)[:1]]
    if len(quotes) > 1 and any(similar(quotes[0], q) < 0.98 for q in quotes[1:]):
        flags.append("The quoted words differ between the outlets.")
    return flags
