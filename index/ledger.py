"""Building the claim ledger: the same claim across outlets, what differs, what is disputed.

Built from the claims stored at ingest, so it follows the articles incrementally.
Two claims are the same claim when the same speaker is reported with close meaning and
shared wording (cosine of the embeddings plus the overlap of content words), from
different articles; in two languages, which share no wording, when what each says is close
in meaning and no number differs. Differences are flagged for a human, never silently
merged away.
"""

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from index.calibration import LedgerBars, ledger_bars
from index.chunk import searchable_text
from index.claims import content_spans, said_text
from index.differences import count_outlets, flag_differences, numbers_conflict, numbers_in
from index.disputes import link_disputes
from index.metadata import UNKNOWN, detect_language
from index.settings import Settings
from index.speakers import name_speakers, speaker_key, unify_keys
from index.store import Store, StoredChunk
from index.tracked import (
    Appearance,
    Grouping,
    TrackedClaim,
)

SAME_CONTENT = 0.22  # least IDF-weighted share of their content words for one claim
# Word weights are read as if the archive also held this many claims that share none of
# its words: a word in every claim of a two-claim archive then still weighs (log 3/2, not
# log 2/2 = 0), while words that most claims of a small archive carry ("kata", "Gedung")
# still weigh less than what only two of them say.
PRIOR_CLAIMS = 1
# The bars on cosines are the embedder's (index/calibration.py, `LedgerBars`): across
# languages the words cannot be shared, so the cosine of what the two say (their content
# spans, embedded at ingest without the speaker and the reporting words) must reach
# `cross_said`, and no number may differ.
# The next sentence of a report already matched needs this share of content words beside
# the embedder's lower `same_passage` bar.
SAME_PASSAGE_CONTENT = 0.1
_STOP = {
    "yang", "untuk", "dengan", "dari", "pada", "dalam", "bahwa", "akan", "atau", "juga",
    "tidak", "telah", "sudah", "ini", "itu", "tersebut", "mereka", "kita", "kami", "dia", "ia",
    "adalah", "sebagai", "oleh", "karena", "namun", "tetapi", "para", "lebih", "that", "with",
    "from", "this", "have", "they", "their", "which", "would", "will", "been", "were", "said",
}  # fmt: skip


def _words(text: str) -> set[str]:
    return {
        w
        for w in re.findall(r"\w+", searchable_text(text).lower())
        if len(w) >= 4 and w not in _STOP
    }


class Scorer:
    """How alike two claims are: cosine plus word overlap; each text's words found once.

    `content` is what they share of what they say: the overlap of their words weighted by
    how rare each word is among all the claims (IDF), leaving out the speaker's own name
    and role. Words every report carries ("kata", "kepada", "Gedung", "Humas") and the
    speaker's name weigh little, so one speaker's different statements, which share those
    and are close in embedding space, do not pass for one statement.

    The counts are smoothed by `PRIOR_CLAIMS` claims that hold none of the words: plain
    IDF, log(claims / claims with the word), gives every word 0 in an archive of two
    claims that say the same thing, so their content overlap was 0 and they stayed apart.
    Smoothed, every word weighs more than 0, so identical claims share all of their
    content in an archive of any size, and a large archive's weights are its own.
    """

    def __init__(self, counts: dict[str, int], total: int, bars: LedgerBars) -> None:
        self.bars = bars
        self._words: dict[str, set[str]] = {}
        self._numbers: dict[str, frozenset[str]] = {}
        self._own: dict[str, set[str]] = {}
        total = max(total, 0) + PRIOR_CLAIMS
        self._idf = {w: math.log(total / n) for w, n in counts.items() if n > 0}

    def words(self, text: str) -> set[str]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = _words(text)
        return found

    def __call__(self, a: StoredChunk, b: StoredChunk) -> float:
        wa, wb = self.words(a.text), self.words(b.text)
        union = len(wa | wb)
        overlap = len(wa & wb) / union if union else 0.0
        return float(a.meta["vector"] @ b.meta["vector"]) + overlap

    def match(self, a: StoredChunk, b: StoredChunk) -> float | None:
        """How far above its bar two claims of one speaker are one claim; None when they
        are not. In one language: cosine plus word overlap over the `same_claim` bar, with
        their content shared. In two: the cosine of what each says over `cross_said`, with
        no number of one that the other contradicts."""
        if crosses_languages(a, b):
            bar = self.bars.cross_said
            said = float(a.meta["said"] @ b.meta["said"])
            if bar is None or said < bar or numbers_conflict(self.numbers(a), self.numbers(b)):
                return None
            return said - bar
        if self.content(a, b) < SAME_CONTENT:
            return None
        together = self(a, b)
        bar = self.bars.same_claim
        return together - bar if together >= bar else None

    def next_sentence(self, a: StoredChunk, b: StoredChunk) -> bool:
        """Whether `a`, right next to a report matched elsewhere, goes on with report `b`."""
        return self(a, b) >= self.bars.same_passage and self.content(a, b) >= SAME_PASSAGE_CONTENT

    def own_words(self, record: StoredChunk) -> set[str]:
        """The claim's words without the frame of its reporting sentence: two statements
        reported in one frame ("..., Yamaha's manager said ahead of the Spanish Grand Prix
        at Jerez") share its rare words, not their content. Sentences after the reporting
        one are kept: they go on with what was said."""
        found = self._own.get(record.id)
        if found is None:
            found = self._own[record.id] = self.words(record.text) - frame_words(
                record.text, self.words
            )
        return found

    def numbers(self, record: StoredChunk) -> frozenset[str]:
        found = self._numbers.get(record.id)
        if found is None:
            language = str(record.meta.get("language") or "")
            found = self._numbers[record.id] = numbers_in(said_text(record.text), language)
        return found

    def content(self, a: StoredChunk, b: StoredChunk) -> float:
        own = self.words(f"{a.meta['speaker']} {a.meta['role']}") | self.words(
            f"{b.meta['speaker']} {b.meta['role']}"
        )
        wa, wb = self.own_words(a) - own, self.own_words(b) - own
        if not wa or not wb:  # nothing said beyond the speaker found: the whole claims
            wa, wb = self.words(a.text) - own, self.words(b.text) - own
        union = sum(self._idf.get(w, 0.0) for w in wa | wb)
        return sum(self._idf.get(w, 0.0) for w in wa & wb) / union if union else 0.0


_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019']?(?=\s|$)")


def frame_words(text: str, words: Callable[[str], set[str]]) -> set[str]:
    """The words of a claim's reporting sentence around what it says (who, the verb, when
    and where it was said), none of which is also in what was said."""
    spans = content_spans(text)
    if not spans:
        return set()
    end = _SENTENCE_END.search(text, max(b for _, b in spans))
    limit = end.end() if end else len(text)
    edges = [0, *(x for span in spans for x in span), limit]
    outside = " ".join(text[edges[i] : edges[i + 1]] for i in range(0, len(edges) - 1, 2))
    return words(outside) - words(" ".join(text[x:y] for x, y in spans))


@dataclass
class _Group:
    """Reports of one claim being gathered, with the articles they come from."""

    members: list[StoredChunk]
    docs: set[str]

    def add(self, record: StoredChunk) -> None:
        self.members.append(record)
        self.docs.add(record.meta["doc_id"])


def index_bars(settings: Settings, store: Store) -> LedgerBars:
    """The bars the ledger of this index is grouped by: the settings' when given (for
    trying other bars), else those of the embedder the index was built with."""
    return settings.ledger_bars or ledger_bars(str(store.expected["embedder"]))


def crosses_languages(a: StoredChunk, b: StoredChunk) -> bool:
    """Whether two claims are in two languages, each with the vector of what it says."""
    la, lb = a.meta.get("language") or "", b.meta.get("language") or ""
    return bool(la and lb and la != lb) and all(x.meta.get("said") is not None for x in (a, b))


def best_match(score: Scorer, record: StoredChunk, members: Iterable[StoredChunk]) -> float | None:
    """The best margin by which `record` is one claim with the `members` of a tracked claim
    (None: it is not). A join across languages is an inference that must hold with every
    member in another language: otherwise one English report joined (in English) to the
    same speaker's different English statement would carry that statement into the
    Indonesian claim the report matches."""
    margins = []
    for member in members:
        margin = score.match(record, member)
        if margin is None and crosses_languages(record, member):
            return None
        if margin is not None:
            margins.append(margin)
    return max(margins) if margins else None


def count_words(texts: Iterable[str], counts: dict[str, int], step: int = 1) -> None:
    """Add (`step` 1) or take away (-1) the content words of each text to `counts`."""
    for text in texts:
        for word in _words(text):
            counts[word] = counts.get(word, 0) + step


def grouping_of(claims: Sequence[StoredChunk], generation: str, bars: LedgerBars) -> Grouping:
    """What a later write needs to add claims to the ledger built from `claims` by `bars`."""
    counts: dict[str, int] = {}
    count_words((c.text for c in claims), counts)
    speakers = sorted({str(c.meta["speaker"]) for c in claims})
    return Grouping(generation, speakers, counts, len(claims), bars.model_dump())


def claim_order(c: StoredChunk) -> tuple[str, str, int]:
    """The ledger's order: by date (unknown last), source, place in it."""
    return _order_key(str(c.meta["date"]), str(c.meta["source"]), int(c.meta["start"]))


def _order_key(date: str, source: str, start: int) -> tuple[str, str, int]:
    return (date if date != UNKNOWN else "9999", source, start)


def build_ledger(claims: Iterable[StoredChunk], bars: LedgerBars) -> list[TrackedClaim]:
    """Group the stored claims into tracked claims, with flags and dispute links, by the
    embedder's `bars` (`index_bars`)."""
    records = sorted(claims, key=claim_order)
    canonical = unify_keys({speaker_key(c.meta["speaker"]) for c in records})
    counts: dict[str, int] = {}
    count_words((r.text for r in records), counts)
    score = Scorer(counts, len(records), bars)
    gathered: list[_Group] = []
    by_speaker: dict[str, list[_Group]] = {}  # only groups of the same speaker can match
    for record in records:
        key = canonical[speaker_key(record.meta["speaker"])]
        best, best_margin = None, 0.0
        for candidate in by_speaker.setdefault(key, []):
            if record.meta["doc_id"] in candidate.docs:
                continue
            margin = best_match(score, record, candidate.members)
            if margin is not None and margin >= best_margin:
                best, best_margin = candidate, margin
        if best is None:
            best = _Group([], set())
            gathered.append(best)
            by_speaker[key].append(best)
        best.add(record)
    groups = _absorb_neighbours([g.members for g in gathered], score)
    names: dict[str, str] = {}  # canonical key -> the fullest name any article gives
    roles: dict[str, str] = {}  # canonical key -> the first role any article gives
    for record in records:
        key = canonical[speaker_key(record.meta["speaker"])]
        names[key] = max(names.get(key, ""), str(record.meta["speaker"]), key=len)
        roles[key] = roles.get(key) or str(record.meta["role"])
    tracked = []
    for group in groups:
        key = canonical[speaker_key(group[0].meta["speaker"])]
        tracked.append(track_group(group, names[key], roles[key]))
    link_disputes(tracked, groups, canonical)
    name_speakers(tracked, canonical)
    return tracked


def _absorb_neighbours(groups: list[list[StoredChunk]], score: Scorer) -> list[list[StoredChunk]]:
    """A report split over two sentences ("asked it to do more. ... ammunition") is one.

    A claim that stands right next to a matched report in the same article joins it when
    it is of the same kind as the other outlets' version and close enough to it.
    """
    multi = [g for g in groups if len({m.meta["doc_id"] for m in g}) > 1]
    with_doc: dict[str, list[list[StoredChunk]]] = {}  # adjacent means in the same article
    for g in multi:
        for doc in dict.fromkeys(m.meta["doc_id"] for m in g):
            with_doc.setdefault(doc, []).append(g)
    kept: list[list[StoredChunk]] = []
    for group in groups:
        lone = group[0]
        home = None
        if len(group) == 1:
            home = next(
                (
                    g
                    for g in with_doc.get(lone.meta["doc_id"], [])
                    if any(adjacent(lone, m) for m in g)
                    and lone.meta["kind"]
                    in {m.meta["kind"] for m in g if m.meta["doc_id"] != lone.meta["doc_id"]}
                    and any(
                        score.next_sentence(lone, m)
                        for m in g
                        if m.meta["doc_id"] != lone.meta["doc_id"]
                    )
                ),
                None,
            )
        if home is None:
            kept.append(group)
        else:
            home.append(lone)
    return kept


def adjacent(a: StoredChunk, b: StoredChunk) -> bool:
    if a.meta["doc_id"] != b.meta["doc_id"] or a.meta["speaker"] != b.meta["speaker"]:
        return False
    gap = (int(b.meta["start"]) - int(a.meta["end"]), int(a.meta["start"]) - int(b.meta["end"]))
    return any(0 <= g <= 2 for g in gap)


def appearance_of(m: StoredChunk) -> Appearance:
    return Appearance(
        claim_id=m.id,
        source=str(m.meta["source"]),
        doc_id=str(m.meta["doc_id"]),
        outlet=str(m.meta["outlet"]),
        date=str(m.meta["date"]),
        start=int(m.meta["start"]),
        end=int(m.meta["end"]),
        quote=m.text,
        credited_to=str(m.meta["credited_to"]),
        kind=str(m.meta["kind"]),
        verb=str(m.meta["verb"]),
        url=str(m.meta.get("url") or ""),
        speaker=str(m.meta["speaker"]),
        language=str(m.meta.get("language") or ""),
    )


def appearance_order(a: Appearance) -> tuple[str, str, int]:
    """The order of `claim_order`, for an appearance."""
    return _order_key(a.date, a.source, a.start)


def track_group(group: list[StoredChunk], speaker: str, role: str) -> TrackedClaim:
    group = sorted(group, key=claim_order)
    appearances = [appearance_of(m) for m in group]
    first = group[0]
    return TrackedClaim(
        id="c" + hashlib.sha1(first.id.encode()).hexdigest()[:10],
        speaker=speaker,
        role=role,
        kind=str(first.meta["kind"]),
        text=first.text,
        appearances=appearances,
        language=appearances[0].language or detect_language(first.text, ("id", "en"), "id"),
        outlets=count_outlets(appearances),
        flags=flag_differences(appearances),
    )
