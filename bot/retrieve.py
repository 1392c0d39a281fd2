"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by the question's reach.

Equal-weight fusion hurts when the question is in another language than the articles:
BM25 then matches only names and drags the dense ranking down. So BM25's vote is weighted
by how much of the question it can match at all (the share of its words the corpus has).
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

from bot.names import localize_names, missing_names
from index.chunk import searchable_text
from index.embed import Embedder
from index.store import Store, StoredChunk

RRF_K = 60
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
        return missing_names(question, self.lexical.vocab)


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
        return [
            Document(
                id=i,
                page_content=by_id[i].text,
                metadata={**by_id[i].meta, "id": i, "score": fused[i], "relevance": relevance[i]},
            )
            for i in top
        ]
