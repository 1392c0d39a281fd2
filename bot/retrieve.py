"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by the question's language.

Equal-weight fusion hurts when the question is in another language than the articles:
BM25 then matches only names and drags the dense ranking down (FacQA in English: R@5 0.83
fused against 0.89 dense). So a passage's score is its cosine plus a small share of its
BM25 score relative to the question's best, and that share is set per question language
(`Settings.lexical_weights`, chosen on the development sets: BENCHMARKS.md).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.names import localize_names
from index.chunk import searchable_text
from index.embed import Embedder, Vectors
from index.metadata import detect_language
from index.settings import Settings
from index.store import Store, StoredChunk

LANGUAGES = ("en", "id")
_TOKEN = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens of the searchable form of `text`."""
    return [t.lower() for t in _TOKEN.findall(searchable_text(text))]


class LexicalIndex:
    """BM25 over the chunks' searchable text."""

    def __init__(self, texts: Sequence[str]) -> None:
        tokens = [tokenize(t) for t in texts]
        self.vocab = {t for doc in tokens for t in doc}
        self._bm25 = bm25s.BM25()
        self._size = len(tokens)
        if tokens:
            self._bm25.index(tokens, show_progress=False)

    def search(self, question: str, n: int) -> list[tuple[int, float]]:
        """Positions and BM25 scores of the best-matching chunks, best first (those that match)."""
        words = [w for w in tokenize(question) if w in self.vocab]
        if not words or not self._size:
            return []
        scores = np.asarray(self._bm25.get_scores(words))
        n = min(n, self._size)
        top = np.argpartition(-scores, n - 1)[:n]
        return [(int(i), float(scores[i])) for i in top[np.argsort(-scores[top])] if scores[i] > 0]


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


class HybridRetriever(BaseRetriever):
    """A LangChain retriever fusing dense and BM25 rankings; scores are kept in metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    embedder: Embedder
    corpus: Corpus
    settings: Settings
    k: int = 8
    depth: int = 50

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.retrieve(query)

    def retrieve(self, query: str) -> list[Document]:
        """Top-k chunks as Documents with fused score and dense relevance."""
        return self.retrieve_with_vector(query)[0]

    def retrieve_with_vector(
        self, query: str, language: str | None = None
    ) -> tuple[list[Document], Vectors]:
        """As `retrieve`, with the question's vector for the caller's own lookups."""
        language = language or detect_language(query, LANGUAGES)
        vector = self.embedder.embed_query(searchable_text(query))
        relevance = dict(self.store.search(vector, self.depth))
        chunks, by_id = self.corpus.chunks, self.corpus.by_id
        # "Japan" matches "Jepang": BM25 sees the Indonesian forms of English place names.
        lexical = {
            chunks[i].id: score
            for i, score in self.corpus.lexical.search(localize_names(query), self.depth)
        }
        missing = [i for i in lexical if i not in relevance]
        for chunk_id, vec in self.store.vectors(missing).items():
            relevance[chunk_id] = float(vec @ vector)
        weight = self.settings.lexical_weights.get(language, 0.0)
        best = max(lexical.values(), default=1.0)
        fused = {
            i: relevance[i] + weight * lexical.get(i, 0.0) / best for i in relevance if i in by_id
        }
        top = sorted(fused, key=lambda i: -fused[i])[: self.k]
        documents = [
            Document(
                id=i,
                page_content=by_id[i].text,
                metadata={**by_id[i].meta, "id": i, "score": fused[i], "relevance": relevance[i]},
            )
            for i in top
        ]
        return documents, vector
