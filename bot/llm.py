"""LLM mode: an OpenAI-compatible chat model answers from the passages, with checked citations."""

from collections.abc import Iterator

import httpx
import openai
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from bot.answer import LLM, Answer, Citation, retrieved_list
from bot.citations import check_citations
from bot.evidence import not_found_answer
from index.errors import LLMError
from index.prompts import render_prompt
from index.settings import Settings

NOT_FOUND = "NOT_FOUND"
LLM_ERRORS = (openai.OpenAIError, httpx.HTTPError, OSError)
LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}


def build_llm(settings: Settings) -> ChatOpenAI:
    """The chat model, with timeout and retries bounded to seconds."""
    key = settings.openai_api_key or SecretStr("none")
    return ChatOpenAI(
        model=settings.llm_model,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        temperature=0,
    )


def format_passages(docs: list[Document]) -> str:
    """Numbered passages as delimited data; a passage cannot close its own tag."""
    return "\n\n".join(
        f'<passage n="{n}" outlet="{d.metadata["outlet"]}" date="{d.metadata["date"]}">\n'
        f"{d.page_content.replace('<', '‹').replace('>', '›')}\n</passage>"
        for n, d in enumerate(docs, 1)
    )


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


def stream_llm(
    settings: Settings, llm: ChatOpenAI, question: str, docs: list[Document], language: str
) -> Iterator[str]:
    """Stream the model's raw text; raises LLMError carrying whatever had arrived."""
    received = ""
    finished = False
    try:
        for chunk in llm.stream(build_messages(settings, question, docs, language)):
            finished = finished or bool(chunk.response_metadata.get("finish_reason"))
            piece = chunk.text
            received += piece
            yield piece
    except LLM_ERRORS as exc:
        message = describe_failure(exc, settings)
        if received:
            message = "The connection to the language model was lost mid-answer."
        raise LLMError(message, partial=received) from exc
    if not finished:  # the stream ended without the model saying it was done
        raise LLMError("The language model's answer was cut off.", partial=received)


def finish_answer(
    settings: Settings, question: str, text: str, docs: list[Document], language: str
) -> Answer:
    """Turn the model's text into an Answer with checked citations."""
    if text.strip().startswith(NOT_FOUND) or not text.strip():
        return not_found_answer(question, docs, settings, language, LLM, [])
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
