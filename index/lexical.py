"""The lexical (BM25) index, written by the write path and opened memory-mapped by readers.

A reader used to read every chunk from the store and build BM25 at every start and every
reload: seconds and a Python object per chunk at 100k chunks. Now each write adds a
*segment* under `data_dir/lexical/`: a bm25s index over the chunks it wrote, their ids and
document ids, and the documents it dropped. `manifest.json` (replaced atomically) lists
the segments and the store generation they reflect. A reader maps the segments' arrays
and reads nothing else, so its start does not grow with the corpus, and a write of one
article adds one small segment that a running reader maps without re-reading the rest.

A chunk in a segment is live unless a later segment wrote or dropped its document. Scores
stay comparable across segments: each term's contribution is rescaled from the segment's
own IDF to the IDF over all segments. Past `MAX_SEGMENTS` the writer merges them into one,
reading the texts from the store.
"""

import contextlib
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from index.chunk import searchable_text
from index.files import write_atomically

_TOKEN = re.compile(r"\w+")
MANIFEST = "manifest.json"
VERSION = 1
MAX_SEGMENTS = 8  # more and the writer merges them: a query visits every segment


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens of the searchable form of `text`."""
    return [t.lower() for t in _TOKEN.findall(searchable_text(text))]


def lexical_dir(data_dir: Path) -> Path:
    return data_dir / "lexical"


@dataclass(frozen=True)
class Row:
    """A chunk as the lexical index sees it."""

    id: str
    doc_id: str
    text: str


def _idf(docs: int, df: np.ndarray) -> np.ndarray:
    """bm25s's Lucene IDF."""
    return np.log(1 + (docs - df + 0.5) / (df + 0.5))


class Segment:
    """One write's chunks: a bm25s index, ids, document ids, and the documents it dropped."""

    def __init__(self, folder: Path) -> None:
        self.name = folder.name
        self.ids = np.load(folder / "ids.npy", mmap_mode="r")
        self.docs = np.load(folder / "docs.npy", mmap_mode="r")
        self.dropped = set(json.loads((folder / "dropped.json").read_text("utf-8")))
        self.bm25: bm25s.BM25 | None = None
        if len(self.ids):
            self.bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
            indptr = np.asarray(self.bm25.scores["indptr"])
            self.df = np.diff(indptr).astype(np.float64)  # documents per term
        self.live = np.ones(len(self.ids), dtype=bool)

    @property
    def size(self) -> int:
        return len(self.ids)

    def term(self, word: str) -> int | None:
        if self.bm25 is None:
            return None
        term = self.bm25.vocab_dict.get(word)
        return None if term is None else int(term)

    @staticmethod
    def write(folder: Path, rows: Sequence[Row], dropped: Iterable[str]) -> None:
        folder.mkdir(parents=True)
        np.save(folder / "ids.npy", np.asarray([r.id for r in rows], dtype=np.str_))
        np.save(folder / "docs.npy", np.asarray([r.doc_id for r in rows], dtype=np.str_))
        (folder / "dropped.json").write_text(json.dumps(sorted(set(dropped))), "utf-8")
        if rows:
            bm25 = bm25s.BM25()
            bm25.index([tokenize(r.text) for r in rows], show_progress=False)
            bm25.save(str(folder), show_progress=False)


class LexicalIndex:
    """BM25 over every live chunk, across segments; empty when nothing is written yet."""

    def __init__(self, segments: Sequence[Segment], generation: str = "", articles: int = 0):
        self.segments = list(segments)
        self.generation = generation
        self.articles = articles
        _mark_live(self.segments)
        self.chunks = sum(int(s.live.sum()) for s in self.segments)
        self._docs = sum(s.size for s in self.segments)
        self._df: dict[str, float] = {}  # documents per word over all segments, as asked

    @classmethod
    def open(cls, folder: Path, known: "LexicalIndex | None" = None) -> "LexicalIndex | None":
        """The index the manifest describes, reusing `known`'s mapped segments; None if none."""
        for attempt in range(3):  # a merge may remove a segment between reads
            manifest = read_manifest(folder)
            if manifest is None:
                return None
            have = {s.name: s for s in known.segments} if known else {}
            try:
                segments = [have.get(n) or Segment(folder / n) for n in manifest["segments"]]
            except OSError:
                if attempt == 2:
                    raise
                continue
            return cls(segments, manifest["generation"], manifest["articles"])
        return None

    @classmethod
    def build(cls, rows: Sequence[Row]) -> "LexicalIndex":
        """An in-memory index of `rows` (a store with no lexical files yet)."""
        with tempfile.TemporaryDirectory() as tmp:
            Segment.write(Path(tmp) / "seg", rows, ())
            segment = Segment(Path(tmp) / "seg")
            if segment.bm25 is not None:  # read into memory before the folder goes
                segment.bm25 = bm25s.BM25.load(str(Path(tmp) / "seg"), show_progress=False)
            segment.ids, segment.docs = np.array(segment.ids), np.array(segment.docs)
        return cls([segment], articles=len({r.doc_id for r in rows}))

    def vocabulary(self) -> set[str]:
        """Every word of the live and dropped chunks (a dropped article's words may linger
        until its segment is merged: a word here is at most once too many)."""
        return {w for s in self.segments if s.bm25 is not None for w in s.bm25.vocab_dict}

    def _global_idf(self, word: str) -> float:
        if word not in self._df:
            self._df[word] = sum(
                float(s.df[t]) for s in self.segments if (t := s.term(word)) is not None
            )
        return float(_idf(self._docs, np.asarray(self._df[word])))

    def search(self, words: Sequence[str], n: int) -> list[tuple[str, float]]:
        """Ids and BM25 scores of the best-matching live chunks, best first (those that match)."""
        hits: list[tuple[str, float]] = []
        counts = Counter(words)  # a word asked twice counts twice, as in bm25s
        for segment in self.segments:
            terms = [(w, t) for w in counts if (t := segment.term(w)) is not None]
            if not terms or segment.bm25 is None:
                continue
            scores = np.zeros(segment.size, dtype=np.float64)
            for word, t in terms:
                local = float(_idf(segment.size, segment.df[t]))
                scale = self._global_idf(word) / local if local > 0 else 0.0
                scores += counts[word] * scale * segment.bm25.get_scores([word])
            scores[~segment.live] = 0.0
            k = min(n, segment.size)
            top = np.argpartition(-scores, k - 1)[:k]
            hits += [(str(segment.ids[i]), float(scores[i])) for i in top if scores[i] > 0]
        return sorted(hits, key=lambda hit: -hit[1])[:n]


def _mark_live(segments: Sequence[Segment]) -> None:
    """A chunk is live unless a later segment wrote or dropped its document."""
    later: set[str] = set()
    for segment in reversed(segments):
        if later and segment.size:
            segment.live = ~np.isin(segment.docs, np.asarray(sorted(later), dtype=np.str_))
        later |= segment.dropped | set(np.unique(segment.docs).tolist())


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != VERSION:
        return None
    return manifest


def lexical_generation(data_dir: Path) -> str:
    """The store generation the lexical files reflect ("" when there are none)."""
    manifest = read_manifest(lexical_dir(data_dir))
    return str(manifest["generation"]) if manifest else ""


def _write_manifest(folder: Path, segments: Sequence[str], generation: str, articles: int) -> None:
    body = {
        "version": VERSION,
        "generation": generation,
        "segments": list(segments),
        "articles": articles,
    }
    write_atomically(folder / MANIFEST, json.dumps(body).encode("utf-8"))


def _next_name(names: Sequence[str]) -> str:
    return f"seg-{max((int(n.split('-')[1]) for n in names), default=0) + 1:06d}"


def _count_articles(folder: Path, names: Sequence[str]) -> int:
    index = LexicalIndex([Segment(folder / n) for n in names])
    live = [np.asarray(s.docs)[s.live] for s in index.segments if s.size]
    return len(np.unique(np.concatenate(live))) if live else 0


def write_lexical(
    folder: Path,
    rows: Sequence[Row],
    dropped: Iterable[str],
    generation: str,
    every_row: Callable[[], Sequence[Row]],
    *,
    rebuild: bool = False,
) -> None:
    """Record one write: a new segment of its chunks and dropped documents, or, when the
    files do not reflect the store as it was before this write (`rebuild`: a run that was
    killed, another writer, an index older than these files) or there are too many
    segments, one segment of `every_row()` in place of all."""
    folder.mkdir(parents=True, exist_ok=True)
    current = read_manifest(folder)
    old = list(current["segments"]) if current else []
    name = _next_name(old)
    try:
        if rebuild or current is None or len(old) >= MAX_SEGMENTS:
            Segment.write(folder / name, every_row(), ())
            names = [name]
        else:
            Segment.write(folder / name, rows, dropped)
            names = [*old, name]
        _write_manifest(folder, names, generation, _count_articles(folder, names))
    except BaseException:  # a full disk: no half-written segment is left for a reader
        shutil.rmtree(folder / name, ignore_errors=True)
        raise
    for stale in folder.glob("seg-*"):  # a reader that mapped one keeps its open files
        if stale.name not in names:
            with contextlib.suppress(OSError):
                shutil.rmtree(stale)
