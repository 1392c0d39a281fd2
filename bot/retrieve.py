"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by the question's reach.

Equal-weight fusion hurts when the question is in another language than the articles:
BM25 then matches only names and drags the dense ranking down. So BM25's vote is weighted
by how much of the question it can match at all (the share of its words the corpus has).
"""

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.names import CLOSE, localize_names, missing_names
from index.chunk import searchable_text
from index.embed import Embedder, Vectors
from index.store import Store, StoredChunk

RRF_K = 60
_TOKEN = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'-]*")  # a name, as bot.names reads one
LETTERS = 64  # letter columns of the spelling index; rarer letters share the last one
NEAR_CACHE = 4096  # words whose near spellings are kept between questions


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens of the searchable form of `text`."""
    return [t.lower() for t in _TOKEN.findall(searchable_text(text))]


class Spellings:
    """The vocabulary as letter counts, to find the few words that may be a close spelling.

    difflib's ratio can reach a cutoff only where its upper bound, the share of letters two
    words have in common, does; that bound is computed for every word at once here, so
    `get_close_matches` looks at a handful of words instead of the whole vocabulary.
    """

    def __init__(self, vocab: set[str]) -> None:
        self.words = sorted(vocab)
        common = Counter(c for w in self.words for c in w).most_common(LETTERS - 1)
        self._column = {c: n for n, (c, _) in enumerate(common)}
        self._lengths = np.array([len(w) for w in self.words], dtype=np.intp)
        self._counts = np.zeros((len(self.words), LETTERS), np.uint8)
        rows = np.repeat(np.arange(len(self.words)), self._lengths)
        np.add.at(self._counts, (rows, self._columns("".join(self.words))), 1)
        self._long = self._lengths > 255  # their counts may wrap: always candidates

    def _columns(self, text: str) -> npt.NDArray[np.intp]:
        return np.fromiter((self._column.get(c, LETTERS - 1) for c in text), np.intp, len(text))

    def near(self, word: str, cutoff: float) -> list[str]:
        """Every word whose difflib ratio with `word` may reach `cutoff` (and some that won't)."""
        letters = np.bincount(self._columns(word), minlength=LETTERS).clip(0, 255).astype(np.uint8)
        shared = np.minimum(self._counts, letters).sum(axis=1)
        bound = 2.0 * shared >= cutoff * (self._lengths + len(word)) - 1e-9  # slack: rounding
        return [self.words[i] for i in np.flatnonzero(bound | self._long)]


class LexicalIndex:
    """BM25 over the chunks' searchable text."""

    def __init__(self, texts: Sequence[str]) -> None:
        tokens = [tokenize(t) for t in texts]
        self.vocab = {t for doc in tokens for t in doc}
        self._bm25 = bm25s.BM25()
        self._size = len(tokens)
        if tokens:
            self._bm25.index(tokens, show_progress=False)
        self._near: dict[str, list[str]] = {}

    @functools.cached_property
    def spellings(self) -> Spellings:
        return Spellings(self.vocab)

    def vocab_for_names(self, question: str) -> set[str]:
        """The part of the vocabulary `missing_names` can use on this question.

        Each word of a name in the question (or in its localized form, which holds the
        Indonesian forms `missing_names` checks) is kept if the corpus has it, else the
        words that may be a close spelling of it: `missing_names` gives the same answer
        with this as with the whole vocabulary.
        """
        words = {
            part.lower()
            for text in (question, localize_names(question))
            for name in _CAPITALISED.findall(text)
            for part in _TOKEN.findall(name)
        }
        found = words & self.vocab
        for word in words - found:
            near = self._near.get(word)
            if near is None:
                near = self.spellings.near(word, CLOSE)
                if len(self._near) < NEAR_CACHE:
                    self._near[word] = near
            found.update(near)
        return found

    def coverage(self, question: str) -> float:
        """Share of the question's words that occur anywhere in the corpus."""
        words = tokenize(question)
        return sum(w in self.vocab for w in words) / len(words) if words else 0.0

    def search(self, question: str, n: int) -> list[int]:
        """Positions of the best-matching chunks, best first (only those that match)."""
        words = [w for w in tokenize(question) if w in self.vocab]
        if not words or not self._size:
            return []
        scores = np.asarray(self._bm25.get_scores(words))
        n = min(n, self._size)
        top = np.argpartition(-scores, n - 1)[:n]
        return [int(i) for i in top[np.argsort(-scores[top])] if scores[i] > 0]


@dataclass
class Corpus:
    """Everything retrieval needs in memory: the chunks and the lexical index over them."""

    chunks: list[StoredChunk]
    lexical: LexicalIndex
    documents: dict[str, dict[str, Any]]  # doc_id -> metadata of one of its chunks
    by_id: dict[str, StoredChunk]

    @classmethod
    def load(cls, store: Store) -> "Corpus":
        chunks = store.chunks()
        return cls(
            chunks=chunks,
            lexical=LexicalIndex([c.text for c in chunks]),
            documents={c.meta["doc_id"]: c.meta for c in chunks},
            by_id={c.id: c for c in chunks},
        )

    @property
    def articles(self) -> int:
        return len(self.documents)

    def missing_names(self, question: str) -> list[str]:
        """Names in the question that no article mentions."""
        return missing_names(question, self.lexical.vocab_for_names(question))


class HybridRetriever(BaseRetriever):
    """A LangChain retriever fusing dense and BM25 rankings; scores are kept in metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    embedder: Embedder
    corpus: Corpus
    k: int = 8
    depth: int = 50

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.retrieve(query)

    def retrieve(self, query: str) -> list[Document]:
        """Top-k chunks as Documents with fused score and dense relevance."""
        return self.retrieve_with_vector(query)[0]

    def retrieve_with_vector(self, query: str) -> tuple[list[Document], Vectors]:
        """As `retrieve`, with the question's vector for the caller's own lookups."""
        vector = self.embedder.embed_query(searchable_text(query))
        dense = self.store.search(vector, self.depth)
        by_id = self.corpus.by_id
        localized = localize_names(query)  # lets BM25 match "Japan" with "Jepang"
        lexical = [
            self.corpus.chunks[i].id for i in self.corpus.lexical.search(localized, self.depth)
        ]
        weight = self.corpus.lexical.coverage(query)
        fused: dict[str, float] = {}
        for rank, (chunk_id, _) in enumerate(dense):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, chunk_id in enumerate(lexical):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank + 1)
        top = sorted((i for i in fused if i in by_id), key=lambda i: -fused[i])[: self.k]
        relevance = dict(dense)
        missing = [i for i in top if i not in relevance]
        for chunk_id, vec in self.store.vectors(missing).items():
            relevance[chunk_id] = float(vec @ vector)
        documents = [
            Document(
                id=i,
                page_content=by_id[i].text,
                metadata={**by_id[i].meta, "id": i, "score": fused[i], "relevance": relevance[i]},
            )
            for i in top
        ]
        return documents, vector
