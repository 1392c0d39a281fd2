"""The retrieval chain: question -> hybrid retrieval -> cited answer (LLM or evidence).

`Bot.stream` is the one path: it yields the growing text of an LLM answer, then the
final `Answer`. `Bot.ask` is its last item.
"""

import re
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from langchain_core.documents import Document

from bot.answer import EVIDENCE, LLM, Answer
from bot.decide import Decision, decide
from bot.evidence import (
    add_dispute,
    annotate,
    claims_answer,
    evidence_answer,
    lead_with_lacking,
    not_found_answer,
)
from bot.followup import heuristic_standalone, llm_standalone
from bot.ledger import LedgerIndex, current_ledger
from bot.names import topic_names
from bot.retrieve import LANGUAGES, Corpus, HybridRetriever
from index.calibration import Calibration, built_in_calibration
from index.chunk import searchable_text
from index.embed import Embedder, Vectors, make_embedder
from index.errors import BackendError, LLMError, QuestionError
from index.lexical import lexical_generation
from index.metadata import detect_language, load_language_model
from index.prompts import render_prompt
from index.reporting_verbs import DENIAL
from index.settings import Settings
from index.store import Store
from index.tracked import (
    DISPUTED_BY,
    DISPUTES,
    RESPONDED_BY,
    TrackedClaim,
    ledger_dir,
    saved_generation,
)

_WORDY = re.compile(r"\w")
_CLAIMS_QUESTION = re.compile(r"\b(?:claims?|klaim)\b", re.IGNORECASE)
_MANY_OUTLETS = re.compile(
    r"more than one|several|multiple|both|two|many|lebih dari satu|beberapa|dua|banyak",
    re.IGNORECASE,
)
_DISPUTED = re.compile(r"disput|contest|denied|deni|dibantah|bantah", re.IGNORECASE)
SCOPES = {
    ("en", True): "reported by more than one outlet",
    ("en", False): "in the ledger",
    ("id", True): "yang diberitakan oleh lebih dari satu media",
    ("id", False): "dalam catatan",
}


class Bot:
    """Answers questions over the index; load once, ask many times."""

    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, store: Store | None = None
    ) -> None:
        """`store`, when given, is one already opened with `embedder` (`serve` opens it
        beside its imports)."""
        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        self.store = store or Store(settings, self.embedder)
        self._generation = self.store.generation()
        self._ledger_seen = saved_generation(ledger_dir(settings.data_dir))
        self._checked = time.monotonic()
        self._reloading = threading.Lock()
        self.corpus = Corpus.load(self.store, settings)
        self.retriever = HybridRetriever(
            store=self.store,
            embedder=self.embedder,
            corpus=self.corpus,
            settings=settings,
            k=settings.top_k,
        )
        # The ledger with its claim vectors and lookups, swapped as one object: a reload
        # from another session never leaves a reader with one part but not the other.
        self._claims_state: LedgerIndex | None = None
        self._probe: Vectors | None = None
        self._calibration: Calibration | None = None  # read from the store when first needed
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

    @property
    def generation(self) -> str:
        """What the page shows reflects: the store generation of the loaded corpus and that
        of the saved ledger (a writer saves the ledger after its chunks)."""
        return f"{self._generation}/{self._ledger_seen}"

    def warm(self) -> None:
        """Load the language model, the vector index and the claim ledger now, so the first
        question is not the slow one. The first two load beside the ledger: they spend
        their time unpacking and reading files, outside Python's lock."""
        with ThreadPoolExecutor(2) as pool:
            model = pool.submit(load_language_model, self.settings.data_dir)
            vectors = pool.submit(self.store.search, self.embedder.embed_query("warm up"), 1)
            self.ledger_index()
            model.result()
            vectors.result()
        self.retriever.invoke("warm up")

    def reload(self, reopen: bool = False) -> None:
        """Pick up chunks written since the bot was built (an upload, another process's
        ingest); `reopen` reads the store afresh first, as a write by another process needs."""
        if reopen:
            self.store.reopen()
        self._generation = self.store.generation()  # before loading: a later write reloads
        self.corpus = Corpus.load(self.store, self.settings, self.corpus)
        self.retriever.corpus = self.corpus
        self._claims_state = None
        self._calibration = None

    def refresh(self, force: bool = False) -> None:
        """Reload when any writer changed the store, so answers, the article count and the
        ledger stay in step with it.

        Looks at the store's generation stamp at most every `refresh_seconds` (always when
        `force`); one session reloads while the others go on with the corpus they have.
        """
        now = time.monotonic()
        if not force and now - self._checked < self.settings.refresh_seconds:
            return
        self._checked = now
        try:
            generation = self.store.generation()
        except BackendError:  # its Chroma system was stopped after a write here failed
            self.store.reopen()
            generation = self.store.generation()
        files = lexical_generation(self.settings.data_dir)
        ledger = saved_generation(ledger_dir(self.settings.data_dir))
        if ledger != self._ledger_seen:  # saved after the chunks: read it at the next look
            self._ledger_seen = ledger
            self._claims_state = None
        if generation == self._generation and files == self.corpus.files and not force:
            return
        if self._reloading.acquire(blocking=force):
            try:
                # This process's own write needs no fresh read of the store; any other does.
                self.reload(reopen=force or generation != self.store.written)
            finally:
                self._reloading.release()

    def check(self) -> None:
        """Raise the store's error when it cannot be read (for /healthz)."""
        self.refresh()
        self.store.readable()
        if self._probe is None:
            self._probe = self.embedder.embed_query("health check")
        try:
            self.store.search(self._probe, 1)
        except BackendError:  # rebuilt by another process since the last look: look again
            self.refresh(force=True)
            self.store.search(self._probe, 1)

    def ledger_index(self) -> LedgerIndex:
        """The claim ledger with its per-question lookups, rebuilt after each reload."""
        state = self._claims_state
        if state is None:
            state = LedgerIndex(*current_ledger(self.settings, self.store, self._generation))
            self._claims_state = state
        return state

    @property
    def ledger(self) -> list[TrackedClaim]:
        """The claim ledger, rebuilt from the stored claims after each reload."""
        return self.ledger_index().tracked

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        *_, answer = self.stream(question, history)
        assert isinstance(answer, Answer)
        return answer

    def bounded(self, question: str, history: Sequence[str]) -> tuple[str, list[str]]:
        """The question, checked for length, and the last few earlier turns, each cut short."""
        limit = self.settings.max_question_chars
        question = question.strip()
        if not _WORDY.search(question):
            raise QuestionError("The question has no words; type a question about the articles.")
        try:
            question.encode("utf-8")
        except UnicodeEncodeError:
            raise QuestionError(
                "The question holds characters that are not valid text (a broken paste?); "
                "type it again."
            ) from None
        if len(question) > limit:
            raise QuestionError(
                f"The question is {len(question):,} characters long; ask it in at most "
                f"{limit:,} (one or two sentences work best)."
            )
        turns = self.settings.history_turns
        recent = list(history)[-turns:] if turns else []
        return question, [valid_text(turn[:limit]) for turn in recent]

    def standalone(self, question: str, history: Sequence[str]) -> tuple[str, str]:
        """The question made to stand on its own, and why the LLM could not do it ("" if ok)."""
        if self.llm is not None and history:
            from bot.llm import LLM_ERRORS, describe_failure

            try:
                return llm_standalone(self.settings, self.llm, question, history), ""
            except LLM_ERRORS as exc:  # retrieval goes on with the heuristic rewrite
                return heuristic_standalone(question, history), describe_failure(exc, self.settings)
        return heuristic_standalone(question, history), ""

    def stream(self, question: str, history: Sequence[str] = ()) -> Iterator[str | Answer]:
        """Yield the growing LLM text (if any), then the final Answer."""
        question, history = self.bounded(question, history)
        self.store.readable()
        self.refresh()
        standalone, failure = self.standalone(question, history)
        # In this thread, and the question embedded once: the dispute lookup reuses it.
        load_language_model(self.settings.data_dir)  # the saved copy, if not loaded yet
        language = detect_language(question, LANGUAGES)
        try:
            docs, vector = self.retriever.retrieve_with_vector(standalone, language)
        except BackendError:  # another process rebuilt or rewrote the store just now
            self.refresh(force=True)
            docs, vector = self.retriever.retrieve_with_vector(standalone, language)
        if _CLAIMS_QUESTION.search(standalone):
            answer = self._claims_answer(question, standalone, docs, language)
        else:
            answer = yield from self.answer_from(
                question, standalone, docs, language, vector, failure
            )
        if standalone != question:
            answer.standalone = standalone
        yield answer

    def answer_from(
        self,
        question: str,
        standalone: str,
        docs: list[Document],
        language: str,
        vector: Vectors,
        failure: str = "",
    ) -> Generator[str, None, Answer]:
        """A cited answer, or "not in the articles"; a disputed claim is shown with its denial."""
        decision = self.decide(standalone, docs, language)
        if not decision.answer:
            answer = not_found_answer(question, docs, self.settings, language, self.mode)
            return lead_with_lacking(answer, decision, self.settings)
        if failure:  # a model that just failed is not asked twice
            answer = self._fallback(question, decision, docs, language, failure)
        elif self.llm is None:
            answer = evidence_answer(
                question, decision, docs, self.settings, language, self.ledger_index()
            )
        else:
            answer = yield from self._stream_llm(question, standalone, decision, docs, language)
            index = self.ledger_index()
            answer.citations = [annotate(c, index) for c in answer.citations]
        if answer.found:
            self._add_dispute(answer, vector, language)
            if not decision.calibrated:
                answer.notice = render_prompt(
                    self.settings, "uncalibrated", model=self.embedder.name
                )
        return lead_with_lacking(answer, decision, self.settings)

    def decide(self, question: str, docs: list[Document], language: str) -> Decision:
        """The decision step (bot/decide.py) with this index's calibration and archive."""
        calibration = self.calibration
        model = calibration.model(language) if calibration else None
        return decide(question, docs, model, self.settings, self.corpus.mentions)

    @property
    def calibration(self) -> Calibration | None:
        """The support models answers are decided with: the settings' own, else the one
        saved with the index, else the built-in one for the index's embedder."""
        if self.settings.support_models:
            return Calibration(
                embedder=self.embedder.name,
                models=self.settings.support_models,
                fitted_on="settings",
            )
        if self._calibration is None:
            self._calibration = self.store.calibration() or built_in_calibration(self.embedder.name)
        return self._calibration

    def _stream_llm(
        self,
        question: str,
        standalone: str,
        decision: Decision,
        docs: list[Document],
        language: str,
    ) -> Generator[str, None, Answer]:
        from bot.llm import finish_answer, stream_llm

        text, context = "", decision.context
        try:
            for piece in stream_llm(self.settings, self.llm, standalone, context, language):
                text += piece
                yield text
        except LLMError as exc:
            return self._fallback(question, decision, docs, language, str(exc), exc.partial)
        return finish_answer(self.settings, question, text, context, language)

    def _fallback(
        self,
        question: str,
        decision: Decision,
        docs: list[Document],
        language: str,
        reason: str,
        partial: str = "",
    ) -> Answer:
        """The evidence answer, with a notice saying why the model's answer is missing."""
        answer = evidence_answer(
            question, decision, docs, self.settings, language, self.ledger_index()
        )
        answer.notice = f"{reason} Quoting the sources instead."
        answer.partial = partial
        return answer

    def _claims_answer(
        self, question: str, standalone: str, docs: list[Document], language: str
    ) -> Answer:
        """Questions about the ledger: which claims, carried by how many, disputed."""
        many = bool(_MANY_OUTLETS.search(standalone))
        claims = [t for t in self.ledger if t.outlets > 1 or not many]
        if _DISPUTED.search(standalone):
            claims = [t for t in claims if t.disputed]
        for name in topic_names(standalone):
            claims = [t for t in claims if _mentions(t, name)]
        claims.sort(key=lambda t: (-t.outlets, t.first_appearance.date))
        if not claims:
            return not_found_answer(question, docs, self.settings, language, EVIDENCE)
        return claims_answer(
            question, claims, self.settings, language, SCOPES[(language, many)], docs
        )

    def _add_dispute(self, answer: Answer, vector: Vectors, language: str) -> None:
        """When the question (its vector) is about a disputed claim, show it beside its denial."""
        index = self.ledger_index()
        nearest = index.nearest(vector)
        if nearest is None:
            return
        best, score = nearest
        if not best.disputed or score < self.settings.claim_relevance:
            return
        by_id = index.by_id
        if best.kind == DENIAL or any(link["kind"] == DISPUTES for link in best.links):
            best = next(by_id[link["claim"]] for link in best.links if link["kind"] == DISPUTES)
        denials = [by_id[link["claim"]] for link in best.links if link["kind"] == DISPUTED_BY]
        responses = [by_id[link["claim"]] for link in best.links if link["kind"] == RESPONDED_BY]
        add_dispute(answer, best, denials, responses, self.settings, language)


def valid_text(text: str) -> str:
    """Text with anything UTF-8 cannot carry (lone surrogates) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _mentions(claim: TrackedClaim, name: str) -> bool:
    needle = name.lower()
    return any(
        needle in searchable_text(a.quote).lower() or needle in claim.speaker.lower()
        for a in claim.appearances
    )
