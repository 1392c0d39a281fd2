"""LLM mode: an OpenAI-compatible chat model answers from the passages, with checked citations.

The model and the articles are both untrusted: passages go to the model as delimited data,
its reply loses links, images and HTML, a reply that repeats the instructions is not shown,
and no error message carries what the server said (it may echo the API key).
"""

import html
import re
import time
from collections.abc import Callable, Iterator

import httpx2
import openai
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from bot.answer import LLM, Answer, Citation, retrieved_list
from bot.citations import check_citations, strip_active_content
from bot.evidence import not_found_answer
from index.errors import LLMError
from index.prompts import render_prompt
from index.settings import Settings

NOT_FOUND = "NOT_FOUND"
# openai >= 3 speaks HTTP through httpx2; its errors can surface from a stream unwrapped.
LLM_ERRORS = (openai.OpenAIError, httpx2.HTTPError, OSError)
LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}
# A reply sharing this many consecutive words with the system prompt is repeating it.
ECHO_WORDS = 8
_WORD = re.compile(r"\w+")


def answer_seconds(settings: Settings) -> float:
    """The longest a failing backend may keep a question waiting: every try times out."""
    return settings.llm_timeout * (settings.llm_max_retries + 1)


class _DeadlineStream(httpx2.SyncByteStream):
    """A response body that must have arrived by `deadline`."""

    def __init__(self, inner: httpx2.SyncByteStream, deadline: float, request: httpx2.Request):
        self.inner, self.deadline, self.request = inner, deadline, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise httpx2.ReadTimeout("the answer took too long", request=self.request)
            yield chunk

    def close(self) -> None:
        self.inner.close()


def _bounded_body(seconds: float) -> Callable[[httpx2.Response], None]:
    """A response hook: the read timeout never fires on a body that keeps trickling
    (keep-alive comments from a proxy, a model that does not stop), so bound it as a whole."""

    def hook(response: httpx2.Response) -> None:
        deadline = time.monotonic() + seconds
        response.stream = _DeadlineStream(response.stream, deadline, response.request)  # type: ignore[arg-type]

    return hook


class _HttpClient(openai.DefaultHttpxClient):
    """The openai client's own defaults; closed with the model, as the client's own is."""

    def __del__(self) -> None:
        if not self.is_closed:
            self.close()


def build_llm(settings: Settings) -> ChatOpenAI:
    """The chat model, with timeout and retries bounded to seconds."""
    key = settings.openai_api_key or SecretStr("none")
    hooks = {"response": [_bounded_body(answer_seconds(settings))]}
    return ChatOpenAI(
        model=settings.llm_model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        temperature=0,
        http_client=_HttpClient(event_hooks=hooks),
    )


def _data(text: str) -> str:
    """Article text inside a passage: it cannot open or close a tag of its own."""
    return text.replace("<", "‹").replace(">", "›")


def format_passages(docs: list[Document]) -> str:
    """Numbered passages as delimited data; a passage cannot close its own tag."""
    return "\n\n".join(
        f'<passage n="{n}" outlet="{html.escape(_data(str(d.metadata["outlet"])))}" '
        f'date="{html.escape(_data(str(d.metadata["date"])))}">\n'
        f"{_data(d.page_content)}\n</passage>"
        for n, d in enumerate(docs, 1)
    )


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + ECHO_WORDS]) for i in range(len(words) - ECHO_WORDS + 1)}


def repeats_instructions(text: str, instructions: set[tuple[str, ...]]) -> bool:
    """True when `text` copies a run of ECHO_WORDS words from the instructions."""
    return not instructions.isdisjoint(_shingles(text))


def build_messages(
    settings: Settings, question: str, docs: list[Document], language: str
) -> list[BaseMessage]:
    system = render_prompt(
        settings, "answer_system", language=LANGUAGE_NAMES.get(language, "English")
    )
    user = render_prompt(settings, "answer_user", passages=format_passages(docs), question=question)
    return [SystemMessage(system), HumanMessage(user)]


def describe_failure(exc: Exception, settings: Settings) -> str:
    """A short message for the user; never the key, the URL or a stack trace."""
    if isinstance(exc, openai.APITimeoutError):
        return f"The language model did not answer within {settings.llm_timeout:g} s."
    if isinstance(exc, openai.RateLimitError):
        return "The language model is rate-limited right now (HTTP 429)."
    if isinstance(exc, openai.AuthenticationError):
        return "The language model refused the API key (HTTP 401); check OPENAI_API_KEY."
    if isinstance(exc, openai.APIStatusError):
        return f"The language model answered with an error (HTTP {exc.status_code})."
    if isinstance(exc, openai.APIConnectionError):
        return "The language model could not be reached (connection failed)."
    return f"The language model failed ({type(exc).__name__})."


def _retry_after(exc: openai.RateLimitError) -> float:
    """Seconds the server asked us to wait (Retry-After, or retry-after-ms); 1 s if unsaid."""
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            return max(0.0, float(headers.get(name, "")) * scale)
        except ValueError:
            continue
    return 1.0


def stream_llm(
    settings: Settings, llm: ChatOpenAI, question: str, docs: list[Document], language: str
) -> Iterator[str]:
    """Stream the model's raw text; raises LLMError carrying whatever had arrived.

    The error never chains the client's exception: its message is the server's own text,
    which may quote the API key back.
    """
    messages = build_messages(settings, question, docs, language)
    instructions = _shingles(str(messages[0].content))
    received = ""
    finished = False
    deadline = time.monotonic() + answer_seconds(settings)
    while True:
        try:
            for chunk in llm.stream(messages):
                finished = finished or bool(chunk.response_metadata.get("finish_reason"))
                piece = chunk.text
                received += piece
                # Only the newest words can complete a copied run; look just behind them.
                if repeats_instructions(received[-(len(piece) + 400) :], instructions):
                    raise LLMError(
                        "The language model repeated its instructions instead of answering; "
                        "that text is not shown."
                    )
                yield piece
            break
        except openai.RateLimitError as exc:
            # Asked to come back later: do so while a whole try still fits the budget.
            wait = _retry_after(exc)
            if received or time.monotonic() + wait + settings.llm_timeout > deadline:
                raise LLMError(describe_failure(exc, settings)) from None
            time.sleep(wait)
        except LLM_ERRORS as exc:
            message = describe_failure(exc, settings)
            if received and isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException):
                message = "The language model's answer timed out mid-way."
            elif received:
                message = "The connection to the language model was lost mid-answer."
            raise LLMError(message, partial=strip_active_content(received)) from None
    if not finished:  # the stream ended without the model saying it was done
        raise LLMError(
            "The language model's answer was cut off.", partial=strip_active_content(received)
        )


def finish_answer(
    settings: Settings, question: str, text: str, docs: list[Document], language: str
) -> Answer:
    """Turn the model's text into an Answer with checked citations."""
    if text.strip().startswith(NOT_FOUND) or not text.strip():
        return not_found_answer(question, docs, settings, language, LLM)
    checked = check_citations(text.strip(), [d.page_content for d in docs])
    return Answer(
        question=question,
        mode=LLM,
        found=True,
        answer=checked.text,
        citations=[Citation.from_document(n, docs[n - 1]) for n in sorted(checked.cited)],
        retrieved=retrieved_list(docs),
        flags=checked.flags,
        language=language,
    )
