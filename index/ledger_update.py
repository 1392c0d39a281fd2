"""Adding a write's claims to the saved ledger, without rebuilding it.

The same decisions as `build_ledger` (index/ledger.py), for the claims of the documents a
write added or replaced only: their old appearances leave the ledger, and each new claim,
in the ledger's order, joins the tracked claim of its nearest stored claims by the same
speaker (found through Chroma) when the two say the same thing, or starts one of its own.
A lone new claim next to a matched report joins it; new denials are linked to the claim
they deny, and the stored denials not yet linked may be linked to a new claim.

What an update cannot see, a rebuild does: a new article dated before stored ones is
matched after them, and the word weights of stored claims' earlier decisions are not
revisited. `ingest --rebuild` builds the ledger anew.
"""

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from index.calibration import LedgerBars
from index.differences import count_outlets, flag_differences
from index.disputes import day_of, link_disputes, names_any, near_in_time
from index.embed import Vectors
from index.ledger import (
    Scorer,
    adjacent,
    appearance_of,
    appearance_order,
    best_match,
    claim_order,
    count_words,
    track_group,
)
from index.reporting_verbs import DENIAL
from index.speakers import name_speakers, names_of, speaker_key, unify_keys
from index.store import Store, StoredChunk
from index.tracked import (
    DISPUTED_BY,
    DISPUTES,
    RESPONDED_BY,
    RESPONDS_TO,
    Appearance,
    Grouping,
    TrackedClaim,
)

NEIGHBOURS = 64  # stored claims of the same speaker a new claim is compared with


@dataclasses.dataclass
class _Ledger:
    """The ledger being updated: tracked claims by id, and which holds each claim."""

    tracked: dict[str, TrackedClaim]
    holder: dict[str, str]  # claim (appearance) id -> tracked claim id
    known: dict[str, StoredChunk]  # claims read from the store during this update

    def place(self, tracked: TrackedClaim) -> None:
        self.tracked[tracked.id] = tracked
        for a in tracked.appearances:
            self.holder[a.claim_id] = tracked.id

    def docs(self, tracked_id: str) -> set[str]:
        return {a.doc_id for a in self.tracked[tracked_id].appearances}


def update_ledger(
    tracked: Sequence[TrackedClaim],
    vectors: Mapping[str, Vectors],
    grouping: Grouping,
    store: Store,
    changed: set[str],
    generation: str,
    bars: LedgerBars,
) -> tuple[list[TrackedClaim], dict[str, Vectors], Grouping]:
    """The ledger with the claims of the `changed` documents as the store holds them now
    (none for a document that is gone), its vectors and its grouping state; grouped by
    `bars` as a build is."""
    counts, total = dict(grouping.words), grouping.claims
    ledger = _Ledger({}, {}, {})
    gone: set[str] = set()
    for t in tracked:
        kept = [a for a in t.appearances if a.doc_id not in changed]
        count_words((a.quote for a in t.appearances if a.doc_id in changed), counts, -1)
        total -= len(t.appearances) - len(kept)
        if not kept:
            gone.add(t.id)
        elif len(kept) < len(t.appearances):
            ledger.place(_with(t, kept))
        else:
            ledger.place(t)
    for t in ledger.tracked.values():
        if any(link["claim"] in gone for link in t.links):
            t.links = [link for link in t.links if link["claim"] not in gone]
    found = store.claims(where={"doc_id": {"$in": sorted(changed)}}) if changed else []
    records = sorted(found, key=claim_order)
    count_words((r.text for r in records), counts)
    total += len(records)
    names = {*grouping.speakers, *(str(r.meta["speaker"]) for r in records)}
    canonical = unify_keys({speaker_key(n) for n in names})  # as a build over all would
    speakers = {n: canonical[speaker_key(n)] for n in names}  # name -> canonical key
    score = Scorer(counts, total, bars)
    near = _neighbours(records, speakers, store)
    added = [_add(ledger, record, speakers, score, near[record.id]) for record in records]
    _absorb(ledger, [ledger.tracked[t] for t in dict.fromkeys(added)], score)
    _relink(ledger, records, canonical, store)
    name_speakers(ledger.tracked.values(), canonical)
    fresh = {r.id for r in records}  # a changed article's claim may keep its id, not its text
    out_vectors = {
        a.claim_id: _vector(ledger, a.claim_id) if a.claim_id in fresh else vectors[a.claim_id]
        for t in ledger.tracked.values()
        for a in t.appearances
    }
    ordered = sorted(ledger.tracked.values(), key=lambda t: appearance_order(t.appearances[0]))
    grouping = Grouping(generation, sorted(names), counts, total, bars.model_dump())
    return ordered, out_vectors, grouping


def _vector(ledger: _Ledger, claim_id: str) -> Vectors:
    vector: Vectors = ledger.known[claim_id].meta["vector"]
    return vector


def _with(t: TrackedClaim, appearances: list[Appearance]) -> TrackedClaim:
    appearances = sorted(appearances, key=appearance_order)
    return dataclasses.replace(
        t,
        appearances=appearances,
        kind=appearances[0].kind,
        text=appearances[0].quote,
        language=appearances[0].language or t.language,
        outlets=count_outlets(appearances),
        flags=flag_differences(appearances),
    )


def _neighbours(
    records: Sequence[StoredChunk], speakers: Mapping[str, str], store: Store
) -> dict[str, list[StoredChunk]]:
    """Each new claim's nearest stored claims by the same speaker in other articles: one
    store query for all the claims of one speaker in one article."""
    groups: dict[tuple[str, str], list[StoredChunk]] = {}
    for record in records:
        key = (speakers[str(record.meta["speaker"])], str(record.meta["doc_id"]))
        groups.setdefault(key, []).append(record)
    near: dict[str, list[StoredChunk]] = {}
    for (canonical, doc), group in groups.items():
        names = sorted(n for n, c in speakers.items() if c == canonical)
        where = {"$and": [{"speaker": {"$in": names}}, {"doc_id": {"$ne": doc}}]}
        vectors = [r.meta["vector"] for r in group]
        found = store.nearest_claims(vectors, NEIGHBOURS, where)
        near.update((r.id, f) for r, f in zip(group, found, strict=True))
    return near


def _add(
    ledger: _Ledger,
    record: StoredChunk,
    speakers: Mapping[str, str],
    score: Scorer,
    near: list[StoredChunk],
) -> str:
    """Put one new claim (with its `near`est stored claims of the same speaker in other
    articles) into the ledger; returns the id of the tracked claim it is in."""
    ledger.known[record.id] = record
    doc = str(record.meta["doc_id"])
    by_tracked: dict[str, list[StoredChunk]] = {}
    for m in near:
        ledger.known.setdefault(m.id, m)
        holder = ledger.holder.get(m.id)  # none: a new claim matched later, or taken out
        if holder is not None and doc not in ledger.docs(holder):
            by_tracked.setdefault(holder, []).append(m)
    best, best_margin = "", 0.0
    for holder, members in by_tracked.items():
        margin = best_match(score, record, members)
        if margin is not None and margin >= best_margin:
            best, best_margin = holder, margin
    if not best:
        t = track_group([record], str(record.meta["speaker"]), str(record.meta["role"]))
        ledger.place(t)
        return t.id
    t = ledger.tracked[best]
    joined = _with(t, [*t.appearances, appearance_of(record)])
    joined.speaker = max(t.speaker, str(record.meta["speaker"]), key=len)
    joined.role = t.role or str(record.meta["role"])
    ledger.place(joined)
    return best


def _absorb(ledger: _Ledger, added: Iterable[TrackedClaim], score: Scorer) -> None:
    """A lone new claim right next to a report matched in another outlet joins it, as
    `_absorb_neighbours` decides in a build."""
    added = list(added)
    multi = [t.id for t in added if len({a.doc_id for a in t.appearances}) > 1]
    for lone in added:
        if len(lone.appearances) != 1:
            continue
        record = ledger.known[lone.appearances[0].claim_id]
        doc = record.meta["doc_id"]
        for home_id in multi:
            home = ledger.tracked[home_id]  # as it is now, with the claims it took in before
            others = [ledger.known.get(a.claim_id) for a in home.appearances if a.doc_id != doc]
            own = [ledger.known.get(a.claim_id) for a in home.appearances if a.doc_id == doc]
            if not any(m is not None and adjacent(record, m) for m in own):
                continue
            if record.meta["kind"] not in {a.kind for a in home.appearances if a.doc_id != doc}:
                continue
            if any(m is not None and score.next_sentence(record, m) for m in others):
                del ledger.tracked[lone.id]
                ledger.place(_with(home, [*home.appearances, lone.appearances[0]]))
                break


def _relink(
    ledger: _Ledger, records: Sequence[StoredChunk], canonical: dict[str, str], store: Store
) -> None:
    """Link the denials a write may change, as a build would: those of the new articles
    and those reported close in time to a new claim (a new claim can only be what they
    deny when it is), after taking away the links they made before."""
    new_docs = {str(r.meta["doc_id"]) for r in records}
    days = {day_of(str(r.meta["date"])) for r in records}
    denials = [
        t
        for t in ledger.tracked.values()
        if t.kind == DENIAL
        and any(
            a.doc_id in new_docs or any(near_in_time(day_of(a.date), d) for d in days)
            for a in t.appearances
        )
    ]
    if not denials:
        return
    homes = {t.appearances[0].doc_id for t in denials}  # the article a denial is read in
    relinked = {t.id for t in denials}
    denials += [
        t
        for t in ledger.tracked.values()
        if t.kind == DENIAL and t.appearances[0].doc_id in homes and t.id not in relinked
    ]
    relinked |= {t.id for t in denials}
    sides = {t.id for t in ledger.tracked.values() if t.appearances[0].doc_id in homes}
    for t in ledger.tracked.values():  # the links those denials and their sides made
        t.links = [
            link
            for link in t.links
            if not (
                (t.id in relinked and link["kind"] == DISPUTES)
                or (link["kind"] == DISPUTED_BY and link["claim"] in relinked)
                or (t.id in sides and link["kind"] == RESPONDS_TO)
                or (link["kind"] == RESPONDED_BY and link["claim"] in sides)
            )
        ]
    deniers = {
        name
        for t in denials
        for name in names_of(canonical.get(speaker_key(t.speaker), speaker_key(t.speaker)))
    }
    # The claims that can take part: those of the denials' articles, and those naming a
    # denier reported close in time to one (the only ones `link_disputes` accepts).
    when = {day_of(a.date) for t in denials for a in t.appearances[:1]}
    chosen = [
        t
        for t in ledger.tracked.values()
        if t.appearances[0].doc_id in homes
        or (
            any(near_in_time(day_of(a.date), d) for a in t.appearances for d in when)
            and names_any(deniers, " ".join(a.quote for a in t.appearances))
        )
    ]
    missing = [a.claim_id for t in chosen for a in t.appearances if a.claim_id not in ledger.known]
    for m in store.claims(ids=missing):
        ledger.known[m.id] = m
    chosen = [t for t in chosen if all(a.claim_id in ledger.known for a in t.appearances)]
    chosen.sort(key=lambda t: appearance_order(t.appearances[0]))  # the ledger's order
    groups = [[ledger.known[a.claim_id] for a in t.appearances] for t in chosen]
    keys = dict(canonical)
    for t in chosen:
        keys.setdefault(speaker_key(t.speaker), speaker_key(t.speaker))
    link_disputes(chosen, groups, keys, lambda denial, _: denial.id in relinked)
