"""Follow-up questions: turn "and Japan?" into a question that stands on its own."""

import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import HumanMessage

from index.prompts import render_prompt
from index.settings import Settings

_LEADS = re.compile(
    r"^\s*(?:and|but|also|what about|how about|and what about|what of|so|then|dan|lalu|"
    r"kalau|bagaimana dengan|terus|juga)\b",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(
    r"\b(?:he|she|they|it|him|her|them|his|their|its|that|this|those|ia|dia|mereka|itu|"
    r"tersebut|beliau)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'-]+")
_SHORT = 4


def looks_like_follow_up(question: str) -> bool:
    """Opens with "and"/"what about", or is short or leans on a pronoun, naming nothing."""
    if _LEADS.match(question):
        return True
    if _NAME.search(question.strip()):
        return False  # it names its own subject
    return len(question.split()) <= _SHORT or bool(_PRONOUNS.search(question))


def heuristic_standalone(question: str, history: Sequence[str]) -> str:
    """Without an LLM: lean on the previous question when this one cannot stand alone."""
    if not history or not looks_like_follow_up(question):
        return question
    return f"{history[-1].rstrip()} {question.strip()}"


def llm_standalone(settings: Settings, llm: Any, question: str, history: Sequence[str]) -> str:
    """With an LLM: rewrite the question from the conversation (prompt in prompts/)."""
    if not history:
        return question
    prompt = render_prompt(
        settings,
        "rewrite_question",
        history="\n".join(f"- {q}" for q in history[-5:]),
        question=question,
    )
    rewritten = str(llm.invoke([HumanMessage(prompt)]).text).strip().strip('"')
    return rewritten if 0 < len(rewritten) <= 500 else question
