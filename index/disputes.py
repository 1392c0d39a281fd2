"""Disputes in the claim ledger: which claim a denial answers, inferred, never stated.

A denial is linked to the claim it denies: another speaker's claim that names the denier,
closest in meaning to the denial and what the denier's side says after it, reported in
the same article or within `DISPUTE_DAYS` of it. What the denier's side says after the
denial responds to that claim. Every link is the ledger's inference.
"""

import datetime
import re
from collections.abc import Callable

import numpy as np

from index.reporting_verbs import DENIAL
from index.speakers import names_of, speaker_key
from index.store import StoredChunk
from index.tracked import DISPUTED_BY, DISPUTES, RESPONDED_BY, RESPONDS_TO, TrackedClaim

DISPUTE_FLOOR = 0.8  # least cosine between a denial and the claim it denies
DISPUTE_DAYS = 7  # a denial in another article answers a claim reported this close in time
_WORD = re.compile(r"\w+")


def link_disputes(
    tracked: list[TrackedClaim],
    groups: list[list[StoredChunk]],
    canonical: dict[str, str],
    allowed: Callable[[TrackedClaim, TrackedClaim], bool] | None = None,
) -> None:
    """Link each denial to the claim it denies (by another speaker, naming the denier);
    `allowed(denial, claim)`, when given, says which pairs may be linked at all."""
    pairs = list(zip(tracked, groups, strict=True))
    by_doc: dict[str, list[tuple[TrackedClaim, list[StoredChunk]]]] = {}
    for pair in pairs:
        by_doc.setdefault(pair[1][0].meta["doc_id"], []).append(pair)
    texts = [" ".join(m.text for m in group).lower() for _, group in pairs]
    holding: dict[str, set[int]] = {}  # word -> the claims whose text has it
    for n, text in enumerate(texts):
        for word in set(_WORD.findall(text)):
            holding.setdefault(word, set()).add(n)
    for denial, denial_group in pairs:
        if denial.kind != DENIAL or any(link["kind"] == DISPUTES for link in denial.links):
            continue
        denier = canonical[speaker_key(denial.speaker)]
        names = names_of(denier)
        side = _same_side(by_doc[denial_group[0].meta["doc_id"]], denial_group, names)
        context = np.mean([m.meta["vector"] for _, g in side for m in g], axis=0)
        side_claims = [t for t, _ in side]
        best, best_score = None, DISPUTE_FLOOR
        doc, day = denial_group[0].meta["doc_id"], _day(denial_group[0])
        for n in _naming(names, holding, len(pairs)):
            (claim, group), text = pairs[n], texts[n]
            if claim in side_claims or not names_any(names, text):
                continue
            if allowed is not None and not allowed(denial, claim):
                continue
            if canonical[speaker_key(claim.speaker)] == denier:
                continue  # the denier's own words are not what they deny
            if not any(m.meta["doc_id"] == doc or near_in_time(day, _day(m)) for m in group):
                continue  # another story: reported elsewhere and at another time
            score = max(float(m.meta["vector"] @ context) for m in group)
            if score > best_score:
                best, best_score = claim, score
        if best is None:
            continue
        denial.links.append({"kind": DISPUTES, "claim": best.id})
        best.links.append({"kind": DISPUTED_BY, "claim": denial.id})
        for claim in side_claims:
            if claim is not denial:
                claim.links.append({"kind": RESPONDS_TO, "claim": best.id})
                best.links.append({"kind": RESPONDED_BY, "claim": claim.id})


def _day(record: StoredChunk) -> datetime.date | None:
    return day_of(str(record.meta["date"]))


def day_of(date: str) -> datetime.date | None:
    """The day of an ISO date; None when it is unknown or not a date."""
    try:
        return datetime.date.fromisoformat(date)
    except ValueError:
        return None


def near_in_time(a: datetime.date | None, b: datetime.date | None) -> bool:
    """Two reports close enough in time to be one story (an unknown date is not)."""
    return a is not None and b is not None and abs((a - b).days) <= DISPUTE_DAYS


def _same_side(
    pairs: list[tuple[TrackedClaim, list[StoredChunk]]],
    denial_group: list[StoredChunk],
    names: set[str],
) -> list[tuple[TrackedClaim, list[StoredChunk]]]:
    """The denial and what the denier's side says after it in the same article (`pairs`:
    the article's tracked claims, in ledger order)."""
    doc = denial_group[0].meta["doc_id"]
    start = int(denial_group[0].meta["start"])
    side = []
    for claim, group in pairs:
        m = group[0]
        if group is denial_group or (
            m.meta["doc_id"] == doc
            and int(m.meta["start"]) >= start
            and names_any(names, f"{m.meta['speaker']} {m.meta['role']}")
        ):
            side.append((claim, group))
    return side


def _naming(names: set[str], holding: dict[str, set[int]], count: int) -> list[int]:
    """In order, the claims whose text has every word of one of the names: the only ones
    `names_any` can accept (a name with no word could match any)."""
    found: set[int] = set()
    for name in names:
        words = _WORD.findall(name)
        if not words:
            return list(range(count))
        found |= set.intersection(*(holding.get(w, set()) for w in words))
    return sorted(found)


def names_any(names: set[str], text: str) -> bool:
    """True when any of the names stands as a whole word in the text (any case)."""
    text = text.lower()
    return any(n in text and re.search(rf"\b{re.escape(n)}\b", text) for n in names)
