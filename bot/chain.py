"""The retrieval chain: question -> hybrid retrieval -> cited answer (LLM or evidence)."""

from typing import Any

from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableLambda, RunnableParallel, RunnablePassthrough

from bot.answer import EVIDENCE, LLM, Answer
from bot.evidence import evidence_answer, not_found_answer
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
        self.llm: Any = None
        if settings.llm_enabled:
            from bot.llm import build_llm

            self.llm = build_llm(settings)
        self.chain: Runnable[str, Answer] = RunnableParallel(
            question=RunnablePassthrough(), documents=self.retriever
        ) | RunnableLambda(self._compose)

    @property
    def mode(self) -> str:
        return LLM if self.llm is not None else EVIDENCE

    def reload(self) -> None:
        """Pick up chunks written since the bot was built (e.g. an upload)."""
        self.corpus = Corpus.load(self.store)
        self.retriever.corpus = self.corpus

    def ask(self, question: str) -> Answer:
        return self.chain.invoke(question)

    def _compose(self, inputs: dict[str, Any]) -> Answer:
        question: str = inputs["question"]
        docs: list[Document] = inputs["documents"]
        language = detect_language(question, LANGUAGES)
        missing = self.corpus.missing_names(question)
        top = max((d.metadata["relevance"] for d in docs), default=0.0)
        if missing or top < self.settings.min_relevance:
            return not_found_answer(question, docs, self.settings, language, self.mode, missing)
        if self.llm is None:
            return evidence_answer(question, docs, self.settings, language)
        from bot.llm import llm_answer

        try:
            return llm_answer(question, docs, self.settings, self.llm, language)
        except LLMError as exc:
            answer = evidence_answer(question, docs, self.settings, language)
            answer.notice = f"{exc} Quoting the sources instead."
            return answer
