"""The Chroma store: chunks and claims with their vectors, embedded or on a Chroma server.

The embedded store (a folder under the data dir) is the default. With `chroma_url` set, the
same collections live on a Chroma server (`chroma run`) reached through `HttpClient`; a
server that is down is an error, never a silent fallback to an empty local store.
"""

import base64
import contextlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from chromadb.errors import NotFoundError

from index.article import Article
from index.calibration import Calibration, decode_calibration
from index.chunk import CHUNKER_VERSION, Chunk
from index.claims import Claim
from index.client import drop_client, guarded, open_client, reopen_client
from index.embed import Embedder, Vectors
from index.errors import (
    BackendError,
    IndexMismatchError,
    IndexMissingError,
)
from index.lexical import Row
from index.metadata import find_credits
from index.settings import Settings

COLLECTION = "chunks"
SAID_VECTOR = "said_vector"  # claim metadata: the vector of what the claim says
CLAIMS = "claims"
DOCUMENT_PROMPT = "document_prompt"
CALIBRATION = "calibration"
REINDEX_HINT = "re-index with `python -m bot ingest --rebuild seeds/` (add your other folders)"
INGEST_HINT = "run `python -m bot ingest seeds/` first"


def ingest_hint(settings: Settings) -> str:
    """The command that fills this store, in full: with the data dir or server it uses."""
    where = ""
    if settings.chroma_url:
        where += f" --chroma-url {settings.chroma_url}"
    if settings.data_dir != Settings.model_fields["data_dir"].default:
        where += f" --data-dir {settings.data_dir}"
    return INGEST_HINT.replace("seeds/", f"seeds/{where}")


MARKS = "last_marks"  # the chunks collection marks each file's last chunk
PAGE = 5000  # rows per read or write: below Chroma's batch limit, bounded memory per request
QUERIES = 100  # vectors per filtered query: SQLite under Chroma caps its variables
_T = TypeVar("_T")


@dataclass(frozen=True)
class FileState:
    """What the store holds for one file."""

    sha: str
    complete: bool  # all its chunks were written
    content: str  # hash of its body text
    document: str  # the source whose chunks hold the text: itself, or the file it copies


@dataclass(frozen=True)
class Entry:
    """One article to write: its chunks and claims with their vectors."""

    article: Article
    chunks: Sequence[Chunk]
    vectors: Vectors
    claims: Sequence[Claim]
    claim_vectors: Vectors
    content: str = ""  # hash of the body text, to recognise copies
    said_vectors: Vectors | None = None  # per claim, the vector of what it says


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store."""

    id: str
    text: str
    meta: dict[str, Any]


class Store:
    """Chunks, vectors and metadata in a persistent Chroma collection."""

    def __init__(
        self, settings: Settings, embedder: Embedder, *, create: bool = False, rebuild: bool = False
    ) -> None:
        """`create` makes the collections when missing; `rebuild` starts them over, with
        this embedder whatever built them (a user's calibration for it is kept)."""
        self.server = settings.chroma_url
        self._settings = settings
        self._retired: Any = None  # the system a reopen replaced, stopped at the next one
        self.written: str | None = None  # the generation stamp of this process's last write
        hint = ingest_hint(settings)
        self._client, self.where, self.unavailable = open_client(settings, create, hint)
        if embedder.dim == 0:  # a remote embedder learns its dimension from one call
            embedder.embed_query("dimension probe")
        self.expected: dict[str, Any] = {
            "embedder": embedder.name,
            "dim": embedder.dim,
            "chunker": CHUNKER_VERSION,
        }
        if embedder.document_prompt:  # recorded only when there is one: older indexes had none
            self.expected[DOCUMENT_PROMPT] = embedder.document_prompt
        self._copies: dict[str, str] | None = None  # copy -> document, once read
        self._max_batch: int | None = None  # rows per write, asked of the store once
        if rebuild:
            self.reset()
            return
        self._collection = self._open(COLLECTION, create)
        self._claims = self._open(CLAIMS, create)

    @guarded
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
                hint = ingest_hint(self._settings)
                raise IndexMissingError(f"The index at {self.where} is empty — {hint}.") from exc
        if create and name == COLLECTION and not collection.count():
            # A new collection marks each file's last chunk ("last"), so `file_states`
            # reads one row per file instead of every chunk.
            collection.modify(metadata={**(collection.metadata or {}), MARKS: 1})
        known = collection.metadata or {}
        built = {k: known.get(k) for k in self.expected}
        if known.get(DOCUMENT_PROMPT):
            built[DOCUMENT_PROMPT] = known[DOCUMENT_PROMPT]
        if built != self.expected:
            raise IndexMismatchError(
                f"The index at {self.where} was built with {_describe(built)}, but the settings "
                f"use {_describe(self.expected)}; {REINDEX_HINT}."
            )
        return collection

    def write_failed(self) -> None:
        """A write could not finish (a full disk, a read-only folder): give up this store's
        Chroma system so the next write, once there is room, is not stuck behind it."""
        drop_client(self._client, self._settings)

    @guarded
    def reopen(self) -> None:
        """Read the store afresh after another process wrote to it (or rebuilt it)."""
        self._client, retired = reopen_client(self._client, self._settings)
        if self._retired is not None:
            self._retired.stop()
        self._retired = retired
        self._collection = self._open(COLLECTION, False)
        self._claims = self._open(CLAIMS, False)
        self._copies = None

    @guarded
    def reset(self) -> None:
        """Drop every chunk (for --rebuild); a calibration fitted for this embedder stays."""
        kept = self._saved_calibration()
        for name in (COLLECTION, CLAIMS):
            with contextlib.suppress(NotFoundError):
                self._client.delete_collection(name)
        self._collection = self._open(COLLECTION, create=True)
        self._claims = self._open(CLAIMS, create=True)
        self._copies = None
        if kept is not None and kept.embedder == self.expected["embedder"]:
            self.save_calibration(kept)

    def _saved_calibration(self) -> Calibration | None:
        try:
            meta = self._client.get_collection(COLLECTION, embedding_function=None).metadata
        except NotFoundError:
            return None
        text = (meta or {}).get(CALIBRATION)
        return decode_calibration(text, self.where) if text else None

    @guarded
    def calibration(self) -> Calibration | None:
        """The calibration a user fitted for this index (`python -m bot calibrate`), if any."""
        return self._saved_calibration()

    @guarded
    def save_calibration(self, calibration: Calibration) -> None:
        """Keep `calibration` with the index, for every reader of it."""
        meta = {**(self._collection.metadata or {}), CALIBRATION: calibration.model_dump_json()}
        self._collection.modify(metadata=meta)

    def readable(self) -> None:
        """Raise when the embedded store's folder is gone (deleted under a running app)."""
        if not self.server and not (self._settings.data_dir / "chroma").is_dir():
            hint = ingest_hint(self._settings)
            raise IndexMissingError(f"The index at {self.where} is gone — {hint}.")

    @guarded
    def count(self) -> int:
        return int(self._collection.count())

    @guarded
    def generation(self) -> str:
        """A stamp that changes whenever a writer changes the chunks (any process)."""
        collection = self._client.get_collection(COLLECTION, embedding_function=None)
        return str((collection.metadata or {}).get("generation", ""))

    def _touch(self) -> None:
        self.written = str(time.time_ns())
        stamp = {**(self._collection.metadata or {}), "generation": self.written}
        self._collection.modify(metadata=stamp)

    def _pages(
        self, collection: Any, include: list[str], where: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every row of a collection (that matches `where`), PAGE rows per request."""
        offset = 0
        while True:
            page = collection.get(include=include, where=where, limit=PAGE, offset=offset)
            if not page["ids"]:
                return
            yield page
            offset += len(page["ids"])

    def _metas(self, where: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        return (
            m for p in self._pages(self._collection, ["metadatas"], where) for m in p["metadatas"]
        )

    @guarded
    def mark_last_chunks(self) -> None:
        """Mark each complete file's last chunk in an index written before the marks (one
        pass over every chunk, once), so later writers read two rows per file."""
        if (self._collection.metadata or {}).get(MARKS):
            return
        files: dict[str, list[Any]] = {}  # source -> [n_chunks, seen, last id, last meta]
        for page in self._pages(self._collection, ["metadatas"]):
            for row_id, meta in zip(page["ids"], page["metadatas"], strict=True):
                entry = files.setdefault(str(meta["source"]), [meta["n_chunks"], 0, None, None])
                entry[1] += 1
                if meta["seq"] == meta["n_chunks"] - 1:
                    entry[2], entry[3] = row_id, meta
        marks = [(i, {**m, "last": 1}) for n, seen, i, m in files.values() if n == seen and i]
        for start in range(0, len(marks), PAGE):
            batch = marks[start : start + PAGE]
            self._collection.update(ids=[i for i, _ in batch], metadatas=[m for _, m in batch])
        self._collection.modify(metadata={**(self._collection.metadata or {}), MARKS: 1})

    @guarded
    def file_states(self) -> dict[str, FileState]:
        """Every indexed file: its own chunks' state, or the document whose text it shares.

        A file is complete when all its chunks are stored. Where chunks mark the last of
        their file, that is read from two rows per file (its first and its last chunk);
        an index written before the marks counts every file's chunks."""
        seen: dict[str, list[Any]] = {}
        marked = (self._collection.metadata or {}).get(MARKS)
        for meta in self._metas({"seq": 0} if marked else None):
            entry = seen.setdefault(
                str(meta["source"]),
                [meta["sha"], meta["n_chunks"], 0, meta.get("content", ""), meta.get("copies")],
            )
            entry[2] += 1
        if marked:
            for meta in self._metas({"last": 1}):
                first = seen.get(str(meta["source"]))
                if first is not None and first[0] == meta["sha"]:
                    first[2] = first[1]  # its first and its last chunk of this version
        states = {
            s: FileState(str(sha), n == have, str(content), s)
            for s, (sha, n, have, content, _) in seen.items()
        }
        self._copies = {}
        for source, (*_, content, copies) in seen.items():
            for copy, sha in json.loads(copies or "{}").items():
                states.setdefault(copy, FileState(sha, True, str(content), source))
                self._copies[copy] = source
        return states

    @guarded
    def replace_many(self, entries: Sequence["Entry"]) -> list[str]:
        """Swap several articles' chunks and claims for new ones, in one write per collection.

        Deterministic ids and upsert; claims go first, and the chunks carry each file's hash
        and chunk count, so a run killed in between finds those files incomplete and redoes
        them. Returns the documents dropped on the way (the old versions).
        """
        dropped = self.remove([e.article.source for e in entries])
        claims = [
            (e, c, v, s)
            for e in entries
            for c, v, s in zip(
                e.claims,
                e.claim_vectors,
                e.claim_vectors if e.said_vectors is None else e.said_vectors,
                strict=True,
            )
        ]
        for said in self._batches(claims):
            self._claims.upsert(
                ids=[c.id for _, c, _, _ in said],
                embeddings=np.asarray([v for _, _, v, _ in said], np.float32),
                documents=[c.text for _, c, _, _ in said],
                metadatas=[
                    _claim_meta(e.article, c, None if e.said_vectors is None else s)
                    for e, c, _, s in said
                ],
            )
        chunks = [(e, c, v) for e in entries for c, v in zip(e.chunks, e.vectors, strict=True)]
        # (a file's chunks that a kill cut short are visible by their count: redone next run)
        for batch in self._batches(chunks):
            self._collection.upsert(
                ids=[c.id for _, c, _ in batch],
                embeddings=np.asarray([v for _, _, v in batch], np.float32),
                documents=[c.text for _, c, _ in batch],
                metadatas=[_chunk_meta(e, c) for e, c, _ in batch],
            )
        self._touch()
        return dropped

    def _batches(self, rows: Sequence[_T]) -> Iterator[Sequence[_T]]:
        """`rows` in slices the store takes in one call (Chroma refuses a larger batch)."""
        if self._max_batch is None:
            self._max_batch = min(int(self._client.get_max_batch_size()), PAGE)
        for start in range(0, len(rows), self._max_batch):
            yield rows[start : start + self._max_batch]

    @guarded
    def add_copy(self, document: str, copy: str, sha: str) -> None:
        """Record that file `copy` (hash `sha`) carries the same text as indexed `document`."""
        self._forget_copies([copy])
        rows = self._collection.get(where={"source": document}, include=["metadatas"])
        metas = []
        for meta in rows["metadatas"]:
            copies = {**json.loads(str(meta.get("copies") or "{}")), copy: sha}
            metas.append({**meta, "copies": json.dumps(copies, sort_keys=True)})
        if rows["ids"]:
            self._collection.update(ids=rows["ids"], metadatas=metas)
            self._copy_owners()[copy] = document
        self._touch()

    def _copy_owners(self) -> dict[str, str]:
        """copy -> document for every recorded copy."""
        if self._copies is None:
            self.file_states()
        assert self._copies is not None
        return self._copies

    def _forget_copies(self, sources: Sequence[str]) -> None:
        """Take `sources` off the copy lists of the documents that record them."""
        owners = self._copy_owners()
        for source in sources:
            document = owners.pop(source, None)
            if document is None:
                continue
            rows = self._collection.get(where={"source": document}, include=["metadatas"])
            metas = []
            for meta in rows["metadatas"]:
                copies = json.loads(str(meta.get("copies") or "{}"))
                copies.pop(source, None)
                metas.append({**meta, "copies": json.dumps(copies, sort_keys=True)})
            if rows["ids"]:
                self._collection.update(ids=rows["ids"], metadatas=metas)

    @guarded
    def remove(self, sources: Sequence[str]) -> list[str]:
        """Drop the files' chunks and claims, and any record of them as copies; returns the
        ids of the documents that had chunks."""
        self._forget_copies(sources)
        dropped = []
        for source in sources:
            held = self._collection.get(where={"source": source}, include=["metadatas"], limit=1)
            dropped += [str(m["doc_id"]) for m in held["metadatas"]]
            self._collection.delete(where={"source": source})
            self._claims.delete(where={"source": source})
        if sources:
            self._touch()
        return dropped

    @guarded
    def claims(
        self, where: dict[str, Any] | None = None, ids: Sequence[str] | None = None
    ) -> list[StoredChunk]:
        """Every claim (that matches `where`, or of these ids) with its text, metadata and
        vector (in meta["vector"])."""
        if ids is not None:
            if not ids:
                return []
            page = self._claims.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
            return _claims_of(page["ids"], page["documents"], page["metadatas"], page["embeddings"])
        return [
            claim
            for page in self._pages(self._claims, ["documents", "metadatas", "embeddings"], where)
            for claim in _claims_of(
                page["ids"], page["documents"], page["metadatas"], page["embeddings"]
            )
        ]

    @guarded
    def nearest_claims(
        self, vectors: Sequence[Vectors], k: int, where: dict[str, Any] | None = None
    ) -> list[list[StoredChunk]]:
        """For each vector, the k stored claims (that match `where`) nearest to it, nearest
        first: one query for many vectors (a query each took 14 ms, minutes for a long
        article's thousands of claims)."""
        found: list[list[StoredChunk]] = []
        for start in range(0, len(vectors), QUERIES):
            result = self._claims.query(
                query_embeddings=list(vectors[start : start + QUERIES]),
                n_results=k,
                where=where,
                include=["documents", "metadatas", "embeddings"],
            )
            found += [
                _claims_of(*rows)
                for rows in zip(
                    result["ids"],
                    result["documents"],
                    result["metadatas"],
                    result["embeddings"],
                    strict=True,
                )
            ]
        return found

    @guarded
    def search(self, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity); fewer when the store holds fewer."""
        result = self._collection.query(
            query_embeddings=[vector], n_results=k, include=["distances"]
        )
        return [
            (i, 1.0 - float(d))
            for i, d in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    @guarded
    def vectors(self, ids: Sequence[str]) -> dict[str, Vectors]:
        if not ids:
            return {}
        result = self._collection.get(ids=list(ids), include=["embeddings"])
        embeddings = result["embeddings"]
        return {i: np.asarray(embeddings[n], dtype=np.float32) for n, i in enumerate(result["ids"])}

    @guarded
    def get(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        """The chunks with these ids that the store still holds."""
        if not ids:
            return {}
        rows = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        return {
            i: StoredChunk(id=i, text=t, meta=dict(m))
            for i, t, m in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }

    @guarded
    def document(self, doc_id: str) -> dict[str, Any] | None:
        """The metadata of one chunk of the document (its article-wide fields), or None."""
        rows = self._collection.get(where={"doc_id": doc_id}, include=["metadatas"], limit=1)
        return dict(rows["metadatas"][0]) if rows["ids"] else None

    @guarded
    def documents(self) -> dict[str, dict[str, Any]]:
        """doc_id -> the metadata of its first chunk, for every document."""
        return {
            str(m["doc_id"]): dict(m)
            for page in self._pages(self._collection, ["metadatas"], {"seq": 0})
            for m in page["metadatas"]
        }

    @guarded
    def rows(self) -> list[Row]:
        """Every chunk's id, document and text: what the lexical index is built from."""
        return [
            Row(i, str(m["doc_id"]), t)
            for page in self._pages(self._collection, ["documents", "metadatas"])
            for i, t, m in zip(page["ids"], page["documents"], page["metadatas"], strict=True)
        ]

    @guarded
    def chunks(self) -> list[StoredChunk]:
        """Every chunk with its text and metadata, for the lexical index and listings."""
        return [
            StoredChunk(id=i, text=t, meta=dict(m))
            for page in self._pages(self._collection, ["documents", "metadatas"])
            for i, t, m in zip(page["ids"], page["documents"], page["metadatas"], strict=True)
        ]


def _chunk_meta(entry: Entry, chunk: Chunk) -> dict[str, str | int]:
    article = entry.article
    return {
        "doc_id": article.doc_id,
        "source": article.source,
        "path": article.path,
        "sha": article.sha,
        "n_chunks": len(entry.chunks),
        "content": entry.content,
        "copies": "{}",
        "seq": chunk.seq,
        "last": int(chunk.seq == len(entry.chunks) - 1),
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


def _claims_of(ids: Any, texts: Any, metas: Any, vectors: Any) -> list[StoredChunk]:
    """Claims as Chroma returns them (parallel lists), each vector in meta["vector"] and
    the vector of what it says in meta["said"] (None in an index from before it)."""
    return [
        StoredChunk(
            id=i,
            text=t,
            meta={
                **{k: x for k, x in m.items() if k != SAID_VECTOR},
                "vector": np.asarray(v, np.float32),
                "said": _said_vector(m),
            },
        )
        for i, t, m, v in zip(ids, texts, metas, vectors, strict=True)
    ]


def _said_vector(meta: dict[str, Any]) -> Vectors | None:
    # Chroma keeps one vector a record: the second rides in the metadata as float16 bytes
    # (about 1 kB of text for 384 dimensions), read back as float32.
    packed = meta.get(SAID_VECTOR)
    if not packed:
        return None
    return np.frombuffer(base64.b64decode(packed), np.float16).astype(np.float32)


def _claim_meta(article: Article, claim: Claim, said: Vectors | None) -> dict[str, str | int]:
    packed = {}
    if said is not None:
        packed[SAID_VECTOR] = base64.b64encode(np.asarray(said, np.float16).tobytes()).decode()
    return {
        **packed,
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
        "url": article.url,
        "language": article.language,
    }


def _describe(meta: dict[str, Any]) -> str:
    prompt = f", document prompt {meta[DOCUMENT_PROMPT]!r}" if meta.get(DOCUMENT_PROMPT) else ""
    return (
        f"model {meta['embedder']} ({meta['dim']} dimensions{prompt}), chunker v{meta['chunker']}"
    )


def open_loading(settings: Settings, embedder: Embedder) -> Store:
    """The store, with its vector index being read from disk in a thread (one probe query),
    for a reader that goes on with its other start-up work meanwhile: the load runs outside
    Python's lock. An index that cannot be opened raises as `Store` does; a failed probe is
    left for the reader's own first look to report."""
    store = Store(settings, embedder)
    probe = np.zeros(embedder.dim, np.float32)
    probe[0] = 1.0

    def load() -> None:
        with contextlib.suppress(BackendError):
            store.search(probe, 1)

    threading.Thread(target=load, daemon=True).start()
    return store
