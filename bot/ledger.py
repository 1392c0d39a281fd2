"""Looking things up in the built claim ledger: by speaker or outlet, by cited span, by vector."""

import logging
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from index.embed import Vectors
from index.ledger import build_ledger, index_bars
from index.lock import writing
from index.names import language_name, name_forms
from index.settings import Settings
from index.store import Store
from index.tracked import Appearance, TrackedClaim, VectorTable, ledger_dir, load_ledger

log = logging.getLogger(__name__)
NEAR_TIE = 1e-4  # far above float32 rounding: candidates whose exact cosine decides


def current_ledger(
    settings: Settings, store: Store, generation: str
) -> tuple[list[TrackedClaim], Mapping[str, Vectors]]:
    """The ledger the write path saved; built from the stored claims only when there is
    none (an index written before ledgers were saved).

    A saved ledger older than the store (a writer at work, or one stopped before it saved
    it) is used as it is: the next ingest saves it anew, and building it here would cost
    every reader seconds per reload on a large archive."""
    saved = load_ledger(ledger_dir(settings.data_dir))
    if saved is not None:
        if saved[0] != generation and not writing(settings):
            log.warning("The saved claim ledger is older than the store; run an ingest to save it.")
        return saved[1], saved[2]
    claims = store.claims()
    vectors = {c.id: c.meta["vector"] for c in claims}
    return build_ledger(claims, index_bars(settings, store)), vectors


def filter_ledger(
    tracked: Iterable[TrackedClaim],
    speaker: str = "",
    outlet: str = "",
    disputed: bool = False,
    many: bool = False,
) -> list[TrackedClaim]:
    """Claims whose speaker contains the given text in any of its names ("North Korea"
    finds "Korut": index/names.py), and reported by an outlet that contains the other;
    only disputed ones, or only those reported by more than one outlet, when asked."""
    wanted, outlet = name_forms(speaker) if speaker.strip() else set(), outlet.lower().strip()
    said: dict[str, bool] = {}  # by speaker name; no speaker asked: no forms computed

    def by_wanted(name: str) -> bool:
        if name not in said:  # its forms cost about 0.2 ms a name: once per speaker
            said[name] = any(w in form for w in wanted for form in name_forms(name))
        return said[name]

    return [
        t
        for t in tracked
        if (not wanted or by_wanted(t.speaker))
        and (not outlet or any(outlet in a.outlet.lower() for a in t.appearances))
        and (t.disputed or not disputed)
        and (t.outlets > 1 or not many)
    ]


def reading_note(t: TrackedClaim) -> str:
    """How the claim is given to an English reader: its English gloss, marked as a machine
    translation, or that it is quoted as written and in which language."""
    gloss = t.english_gloss()
    if gloss:
        model = t.gloss.get("model") or "the LLM"
        return f"In English (machine translation by {model}, not a quote): {gloss}"
    if t.language == "en":
        return ""
    return f"Quoted as written, in {language_name(t.language)}; no English translation."


def also_named(t: TrackedClaim) -> str:
    """The speaker's other names, for a line under the name ("" when none)."""
    return f"also: {', '.join(t.aliases)}" if t.aliases else ""


def claims_at(
    tracked: Iterable[TrackedClaim], source: str, start: int, end: int
) -> list[TrackedClaim]:
    """Tracked claims with an appearance overlapping the span source[start:end]."""
    return [
        t
        for t in tracked
        if any(a.source == source and a.start < end and start < a.end for a in t.appearances)
    ]


class LedgerIndex:
    """A built ledger with what each question looks up in it, so none scans it all.

    Appearances by source file (which tracked claims a cited passage reports) and every
    appearance's vector in one matrix (the tracked claim closest to a question).
    """

    def __init__(self, tracked: Sequence[TrackedClaim], vectors: Mapping[str, Vectors]) -> None:
        self.tracked = list(tracked)
        self.by_id = {t.id: t for t in self.tracked}
        self._by_source: dict[str, list[tuple[int, Appearance]]] = {}
        for n, claim in enumerate(self.tracked):
            for a in claim.appearances:
                self._by_source.setdefault(a.source, []).append((n, a))
        ids = [a.claim_id for t in self.tracked for a in t.appearances]
        if isinstance(vectors, VectorTable):  # the saved ledger: its mapped matrix as it is
            self._matrix = vectors.rows(ids)
        else:
            rows = [vectors[i] for i in ids]
            self._matrix = np.asarray(rows, np.float32).reshape(len(rows), -1)
        sizes = [len(t.appearances) for t in self.tracked]
        self._starts = np.cumsum([0, *sizes[:-1]])
        self._ends = self._starts + sizes

    def at(self, source: str, start: int, end: int) -> list[TrackedClaim]:
        """As `claims_at` over the whole ledger: those reporting part of source[start:end]."""
        found = {n for n, a in self._by_source.get(source, ()) if a.start < end and start < a.end}
        return [self.tracked[n] for n in sorted(found)]

    def closest(self, vector: Vectors, count: int) -> list[tuple[TrackedClaim, float]]:
        """The `count` tracked claims with the appearances closest to `vector`, closest
        first, each with that cosine."""
        if not self.tracked:
            return []
        scores = np.maximum.reduceat(self._matrix @ vector, self._starts)
        order = np.argsort(-scores, kind="stable")[:count]
        return [(self.tracked[int(n)], float(scores[n])) for n in order]

    def nearest(self, vector: Vectors) -> tuple[TrackedClaim, float] | None:
        """The tracked claim with the appearance closest to `vector`, and that cosine.

        The matrix product finds the few candidates; their cosines are then taken one by
        one, as a single dot product gives them, so ties and the threshold a caller
        compares with see exactly those figures (the first claim wins a tie).
        """
        if not self.tracked:
            return None
        scores = np.maximum.reduceat(self._matrix @ vector, self._starts)
        close = np.flatnonzero(scores >= scores.max() - NEAR_TIE)
        best, best_score = -1, -np.inf
        for n in close:
            rows = self._matrix[self._starts[n] : self._ends[n]]
            score = max(float(v @ vector) for v in rows)
            if score > best_score:
                best, best_score = int(n), score
        return self.tracked[best], best_score
