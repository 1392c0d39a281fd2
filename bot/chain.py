"""The retrieval chain: question -> hybrid retrieval -> cited answer (LLM or evidence).

`Bot.stream` is the one path: it yields the growing text of an LLM answer, then the
final `Answer`. `Bot.ask` is its last item.
"""

from collections.abc import Generator, Iterator, Sequence
from typing import Any

from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableParallel, RunnablePassthrough

from bot.answer import EVIDENCE, LLM, Answer
from bot.evidence import evidence_answer, not_found_answer
from bot.followup import heuristic_standalone, llm_standalone
from bot.retrieve import Corpus, HybridRetriever
from index.embed import Embedder, make_embedder
from index.errors import LLMError
from index.metadata import detect_language
from index.settings import Settings
from index.store import Store

LANGUAGES = ("en", "id")


class Bot:
    """Answers questions over the index; load once, ask many times."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        self.store = Store(settings, self.embedder)
        self.corpus = Corpus.load(self.store)
        self.retriever = HybridRetriever(
            store=self.store, embedder=self.embedder, corpus=self.corpus, k=settings.top_k
        )
        self.retrieval: Runnable[str, dict[str, Any]] = RunnableParallel(
            question=RunnablePassthrough(), documents=self.retriever
        )
        self.llm: Any = None
        if settings.llm_enabled:
            from bot.llm import build_llm

            self.llm = build_llm(settings)

    @property
    def mode(self) -> str:
        return LLM if self.llm is not None else EVIDENCE

    @property
    def mode_label(self) -> str:
        if self.llm is None:
            return "evidence mode: quoting the sources, no LLM configured"
        return f"LLM mode: {self.settings.llm_model}"

    def warm(self) -> None:
        """Load the embedding model now, so the first question is not the slow one."""
        self.retriever.invoke("warm up")

    def reload(self) -> None:
        """Pick up chunks written since the bot was built (e.g. an upload)."""
        self.corpus = Corpus.load(self.store)
        self.retriever.corpus = self.corpus

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        *_, answer = self.stream(question, history)
        assert isinstance(answer, Answer)
        return answer

    def standalone(self, question: str, history: Sequence[str]) -> str:
        """The question made to stand on its own, using earlier questions if needed."""
        if self.llm is not None and history:
            from bot.llm import LLM_ERRORS

            try:
                return llm_standalone(self.settings, self.llm, question, history)
            except LLM_ERRORS:
                pass  # the answer step reports the LLM failure; retrieval goes on
        return heuristic_standalone(question, history)

    def stream(self, question: str, history: Sequence[str] = ()) -> Iterator[str | Answer]:
        """Yield the growing LLM text (if any), then the final Answer."""
        standalone = self.standalone(question, history)
        inputs = self.retrieval.invoke(standalone)
        docs: list[Document] = inputs["documents"]
        language = detect_language(question, LANGUAGES)
        missing = self.corpus.missing_names(standalone)
        top = max((d.metadata["relevance"] for d in docs), default=0.0)
        if missing or top < self.settings.min_relevance:
            answer = not_found_answer(question, docs, self.settings, language, self.mode, missing)
        elif self.llm is None:
            answer = evidence_answer(question, docs, self.settings, language)
        else:
            answer = yield from self._stream_llm(question, standalone, docs, language)
        if standalone != question:
            answer.standalone = standalone
        yield answer

    def _stream_llm(
        self, question: str, standalone: str, docs: list[Document], language: str
    ) -> Generator[str, None, Answer]:
        from bot.llm import finish_answer, stream_llm

        text = ""
        try:
            for piece in stream_llm(self.settings, self.llm, standalone, docs, language):
                text += piece
                yield text
        except LLMError as exc:
            answer = evidence_answer(question, docs, self.settings, language)
            answer.notice = f"{exc} Quoting the sources instead."
            answer.partial = exc.partial
            return answer
        return finish_answer(self.settings, question, text, docs, language)
