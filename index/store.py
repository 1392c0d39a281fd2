"""The Chroma store: one collection of chunks with their vectors and article metadata."""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from index.article import Article
from index.chunk import CHUNKER_VERSION, Chunk
from index.claims import Claim
from index.embed import Embedder, Vectors
from index.errors import BackendError, IndexMismatchError, IndexMissingError
from index.metadata import find_credits
from index.settings import Settings

COLLECTION = "chunks"
CLAIMS = "claims"
REINDEX_HINT = "re-index with `python -m bot ingest --rebuild seeds/` (add your other folders)"
INGEST_HINT = "run `python -m bot ingest seeds/` first"


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store."""

    id: str
    text: str
    meta: dict[str, Any]


class Store:
    """Chunks, vectors and metadata in a persistent Chroma collection."""

    def __init__(self, settings: Settings, embedder: Embedder, *, create: bool = False) -> None:
        self.path = settings.data_dir / "chroma"
        if not create and not self.path.is_dir():
            raise IndexMissingError(f"No index at {settings.data_dir}/ — {INGEST_HINT}.")
        try:
            self._client = chromadb.PersistentClient(
                path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False)
            )
        except Exception as exc:  # Chroma raises plain exceptions for a broken folder
            raise BackendError(f"Cannot open the index at {self.path}: {exc}") from exc
        if embedder.dim == 0:  # a remote embedder learns its dimension from one call
            embedder.embed_query("dimension probe")
        self.expected = {"embedder": embedder.name, "dim": embedder.dim, "chunker": CHUNKER_VERSION}
        self._collection = self._open(COLLECTION, create)
        self._claims = self._open(CLAIMS, create)

    def _open(self, name: str, create: bool) -> Any:
        if create:
            collection = self._client.get_or_create_collection(
                name,
                embedding_function=None,  # never Chroma's default: it downloads a model
                metadata=self.expected,
                configuration={"hnsw": {"space": "cosine"}},
            )
        else:
            try:
                collection = self._client.get_collection(name, embedding_function=None)
            except NotFoundError as exc:
                raise IndexMissingError(
                    f"The index at {self.path} is empty — {INGEST_HINT}."
                ) from exc
        built = {k: (collection.metadata or {}).get(k) for k in self.expected}
        if built != self.expected:
            raise IndexMismatchError(
                f"The index at {self.path} was built with {_describe(built)}, but the settings "
                f"use {_describe(self.expected)}; {REINDEX_HINT}."
            )
        return collection

    def reset(self) -> None:
        """Drop every chunk (for --rebuild)."""
        for name in (COLLECTION, CLAIMS):
            with contextlib.suppress(NotFoundError):
                self._client.delete_collection(name)
        self._collection = self._open(COLLECTION, create=True)
        self._claims = self._open(CLAIMS, create=True)

    def count(self) -> int:
        return int(self._collection.count())

    def file_states(self) -> dict[str, tuple[str, bool]]:
        """source -> (sha, complete) for every indexed file."""
        seen: dict[str, list[Any]] = {}
        for meta in self._collection.get(include=["metadatas"])["metadatas"] or []:
            entry = seen.setdefault(str(meta["source"]), [meta["sha"], meta["n_chunks"], 0])
            entry[2] += 1
        return {s: (str(sha), n == have) for s, (sha, n, have) in seen.items()}

    def replace(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: Vectors,
        claims: Sequence[Claim] = (),
        claim_vectors: Vectors | None = None,
    ) -> None:
        """Swap one article's chunks and claims for new ones (deterministic ids, upsert).

        Claims go first: the chunks carry the file's hash, so a run killed in between
        finds the file incomplete and does it again.
        """
        self.remove([article.source])
        if claims and claim_vectors is not None:
            self._claims.upsert(
                ids=[c.id for c in claims],
                embeddings=claim_vectors,
                documents=[c.text for c in claims],
                metadatas=[_claim_meta(article, c) for c in claims],
            )
        if chunks:
            self._collection.upsert(
                ids=[c.id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[_chunk_meta(article, c, len(chunks)) for c in chunks],
            )

    def remove(self, sources: Sequence[str]) -> None:
        for source in sources:
            self._collection.delete(where={"source": source})
            self._claims.delete(where={"source": source})

    def claims(self) -> list[StoredChunk]:
        """Every claim with its text, metadata and vector (in meta["vector"])."""
        result = self._claims.get(include=["documents", "metadatas", "embeddings"])
        vectors = result["embeddings"]
        return [
            StoredChunk(
                id=i, text=t, meta={**m, "vector": np.asarray(vectors[n], dtype=np.float32)}
            )
            for n, (i, t, m) in enumerate(
                zip(result["ids"], result["documents"], result["metadatas"], strict=True)
            )
        ]

    def search(self, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity)."""
        k = min(k, self.count())
        if k == 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector], n_results=k, include=["distances"]
        )
        return [
            (i, 1.0 - float(d))
            for i, d in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def vectors(self, ids: Sequence[str]) -> dict[str, Vectors]:
        if not ids:
            return {}
        result = self._collection.get(ids=list(ids), include=["embeddings"])
        embeddings = result["embeddings"]
        return {i: np.asarray(embeddings[n], dtype=np.float32) for n, i in enumerate(result["ids"])}

    def chunks(self) -> list[StoredChunk]:
        """Every chunk with its text and metadata, for the lexical index and listings."""
        result = self._collection.get(include=["documents", "metadatas"])
        return [
            StoredChunk(id=i, text=t, meta=dict(m))
            for i, t, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
        ]


def _chunk_meta(article: Article, chunk: Chunk, n_chunks: int) -> dict[str, str | int]:
    return {
        "doc_id": article.doc_id,
        "source": article.source,
        "path": article.path,
        "sha": article.sha,
        "n_chunks": n_chunks,
        "seq": chunk.seq,
        "start": chunk.start,
        "end": chunk.end,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
        "language": article.language,
        "url": article.url,
        "credits": "; ".join(find_credits(chunk.text)),
        "article_credits": "; ".join(article.credits),
    }


def _claim_meta(article: Article, claim: Claim) -> dict[str, str | int]:
    return {
        "doc_id": article.doc_id,
        "source": article.source,
        "start": claim.start,
        "end": claim.end,
        "speaker": claim.speaker,
        "role": claim.role,
        "kind": claim.kind,
        "verb": claim.verb,
        "credited_to": claim.credited_to,
        "title": article.title,
        "outlet": article.outlet,
        "date": article.date,
    }


def _describe(meta: dict[str, Any]) -> str:
    return f"model {meta['embedder']} ({meta['dim']} dimensions), chunker v{meta['chunker']}"
