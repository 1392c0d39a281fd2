"""The project's exceptions: one small tree, translated to messages only at the edges.

    ClaimbotError
     ├── ConfigError         a setting is missing or wrong
     ├── IndexMissingError   no index yet in the data dir
     ├── IndexMismatchError  the index was built with another embedding model or chunker
     ├── IndexBusyError      another ingest holds the writer lock
     ├── BackendError        an embedding service or Chroma server did not answer
     ├── WriteError          the data dir cannot be written (disk full, read-only)
     ├── LLMError            the chat model failed (the bot falls back to evidence mode)
     ├── QuestionError       a question cannot be asked as given (too long, empty)
     └── ArticleError        one file cannot be used (the ingest skips it with this reason)

Every message says what to do next.
"""


class ClaimbotError(Exception):
    """Base of every error the project raises on purpose."""


class ConfigError(ClaimbotError):
    """A setting is missing or wrong."""


class IndexMissingError(ClaimbotError):
    """There is no index in the data dir yet."""


class IndexMismatchError(ClaimbotError):
    """The index was built with another embedding model, dimension or chunker."""


class IndexBusyError(ClaimbotError):
    """Another ingest is writing to the same data dir."""


class BackendError(ClaimbotError):
    """A service the project depends on (embeddings, Chroma) failed."""


class WriteError(ClaimbotError):
    """The data dir cannot be written: its disk is full, or it is read-only."""


class LLMError(ClaimbotError):
    """The chat model failed; `partial` holds any text streamed before the failure."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


class QuestionError(ClaimbotError):
    """A question cannot be asked as given; the message says how to ask it."""


class ArticleError(ClaimbotError):
    """One input file cannot be used; the message is the one-line reason."""
