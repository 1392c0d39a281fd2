"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by the question's language.

Equal-weight fusion hurts when the question is in another language than the articles:
BM25 then matches only names and drags the dense ranking down (FacQA in English: R@5 0.83
fused against 0.89 dense). So a passage's score is its cosine plus a small share of its
BM25 score relative to the question's best, and that share is set per question language
(`Settings.lexical_weights`, chosen on the development sets: BENCHMARKS.md).
"""

import functools
import logging
from dataclasses import dataclass

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.decide import ARCHIVE_CLOSE, Words
from bot.names import localize_names
from index.chunk import searchable_text
from index.embed import Embedder, Vectors
from index.lexical import LexicalIndex, lexical_dir, tokenize
from index.lock import writing
from index.metadata import detect_language
from index.settings import Settings
from index.store import Store

LANGUAGES = ("en", "id")
log = logging.getLogger(__name__)


@dataclass
class Corpus:
    """What retrieval holds in memory: the lexical index, mapped from the write path's
    files (`index/lexical.py`), or built from the store when those are missing or stale."""

    lexical: LexicalIndex
    files: str  # the generation of the lexical files when loaded ("" when there were none)

    @classmethod
    def load(cls, store: Store, settings: Settings, known: "Corpus | None" = None) -> "Corpus":
        folder = lexical_dir(settings.data_dir)
        index = LexicalIndex.open(folder, known.lexical if known else None)
        files = index.generation if index else ""
        if index is not None and (files == store.generation() or writing(settings)):
            return cls(index, files)  # up to date, or a writer at work will bring it up to date
        log.warning(
            "The lexical index files in %s %s; building it in memory (run `python -m bot "
            "ingest` to write them, and start faster).",
            folder,
            "are missing" if index is None else "are older than the store",
        )
        return cls(LexicalIndex.build(store.rows()), files)

    @property
    def articles(self) -> int:
        return self.lexical.articles

    @functools.cached_property
    def words(self) -> Words:
        """Every word of the archive, exact and folded (read once, at the first question
        that needs it)."""
        return Words(self.lexical.vocabulary())

    def mentions(self, word: str) -> bool:
        """Whether any article has `word`, or a spelling very close to it (Maizière)."""
        return self.words.has(word, ARCHIVE_CLOSE)

    def closest(self, word: str) -> str | None:
        """The archive's word most like `word` (at a passage's closeness), if any."""
        return self.words.closest(word)


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
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        return self.retrieve(query, k)

    def retrieve(self, query: str, k: int | None = None) -> list[Document]:
        """Top-k chunks (`k`, else the retriever's own) as Documents with fused score and
        dense relevance."""
        return self.retrieve_with_vector(query, k=k)[0]

    def retrieve_with_vector(
        self, query: str, language: str | None = None, k: int | None = None
    ) -> tuple[list[Document], Vectors]:
        """As `retrieve`, with the question's vector for the caller's own lookups."""
        k = self.k if k is None else k
        language = language or detect_language(query, LANGUAGES)
        vector = self.embedder.embed_query(searchable_text(query))
        depth = max(self.depth, k)
        relevance = dict(self.store.search(vector, depth))
        # "Japan" matches "Jepang": BM25 sees the Indonesian forms of English place names.
        words = tokenize(localize_names(query))
        lexical = dict(self.corpus.lexical.search(words, depth))
        missing = [i for i in lexical if i not in relevance]
        for chunk_id, vec in self.store.vectors(missing).items():  # gone from the store: left out
            relevance[chunk_id] = float(vec @ vector)
        weight = self.settings.lexical_weights.get(language, 0.0)
        best = max(lexical.values(), default=1.0)
        fused = {i: relevance[i] + weight * lexical.get(i, 0.0) / best for i in relevance}
        top = sorted(fused, key=lambda i: -fused[i])[:k]
        found = self.store.get(top)
        documents = [
            Document(
                id=i,
                page_content=found[i].text,
                metadata={**found[i].meta, "id": i, "score": fused[i], "relevance": relevance[i]},
            )
            for i in top
            if i in found
        ]
        return documents, vector
