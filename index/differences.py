"""What differs between the appearances of one claim, said to a reader in English.

A tracked claim reported by several outlets is counted once per independent outlet (a
wire story reprinted under the same credit is one report), and what a human should check
between its versions is flagged in a sentence: another credit for the same quote, other
dates or numbers, drifted quoted wording.
"""

import contextlib
import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from index.metadata import UNKNOWN
from index.names import language_name
from index.tracked import Appearance

REPRINT = 0.95  # text similarity at which two appearances are one wire story reprinted
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,})[\"”]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Indonesian writes a decimal comma and a thousands dot ("3,5 juta", "1.260 km"), English
# the other way round ("3.5 million", "1,260 km"): (thousands, decimal) separators.
_SEPARATORS = {"id": (".", ","), "en": (",", ".")}


def numbers_in(text: str, language: str) -> frozenset[str]:
    """The numbers a text gives, written one way whatever its language ("3,5" in Indonesian
    and "3.5" in English are both "3.5"); a language without known separators keeps them."""
    thousands, decimal = _SEPARATORS.get(language, ("", ""))
    found = set()
    for number in _NUMBER.findall(text):
        if thousands:
            number = number.replace(thousands, "").replace(decimal, ".")
        with contextlib.suppress(ValueError):
            number = format(float(number), "f").rstrip("0").rstrip(".") or "0"
        found.add(number)
    return frozenset(found)


def numbers_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two reports give numbers that cannot be one statement's: each gives some and
    neither's are all among the other's (one report may give fewer of them)."""
    return bool(a and b and not (a <= b or b <= a))


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
    numbers = [numbers_in(a.quote, a.language) for a in appearances]
    if len(set(numbers)) > 1 and all(numbers):
        found: dict[str, frozenset[str]] = {a.doc_id: frozenset() for a in each}
        for a, n in zip(appearances, numbers, strict=True):
            found[a.doc_id] |= n
        listed = _listing([(a.outlet, ", ".join(sorted(found[a.doc_id]))) for a in each])
        flags.append(f"The outlets give different numbers ({listed}).")
    by_language: dict[str, list[str]] = {}  # quoted words compare within one language
    for a in appearances:
        by_language.setdefault(a.language, []).extend(_QUOTED.findall(a.quote)[:1])
    if any(
        len(quotes) > 1 and any(similar(quotes[0], q) < 0.98 for q in quotes[1:])
        for quotes in by_language.values()
    ):
        flags.append("The quoted words differ between the outlets.")
    languages = list(dict.fromkeys(a.language for a in appearances if a.language))
    if len(languages) > 1:
        flags.append(crosslang_flag(languages))
    return flags


CROSSLANG = "Joined across languages"


def crosslang_flag(languages: Sequence[str]) -> str:
    """The flag of a claim whose appearances are in several languages: the ledger inferred
    that they are one statement; each quote stays in its own language."""
    names = " and ".join(language_name(code) for code in languages)
    return (
        f"{CROSSLANG} ({names}): the ledger infers one statement from the same speaker, "
        "close meaning and no differing number; each report is quoted in its own language."
    )
