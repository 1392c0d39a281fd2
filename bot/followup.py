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
# A run of capitalised words not opening the question: "North Korea", "Stoltenberg".
_NAME_RUN = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")
_CAPITALISED = re.compile(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")
_POSSESSIVE = {"his", "her", "their", "its"}
_THING = {"it", "that", "this", "those", "itu", "tersebut"}
_SHORT = 4


def looks_like_follow_up(question: str) -> bool:
    """Opens with "and"/"what about", or is short or leans on a pronoun, naming nothing."""
    if _LEADS.match(question):
        return True
    if _NAME.search(question.strip()):
        return False  # it names its own subject
    return len(question.split()) <= _SHORT or bool(_PRONOUNS.search(question))


def _names(text: str) -> list[re.Match[str]]:
    return list(_NAME_RUN.finditer(text))


def rewrite(question: str, previous: str) -> str:
    """This question made to stand alone against the previous (standalone) question.

    "and Japan?" swaps the previous question's last name for the new one ("What did
    Stoltenberg ask of Japan?"); a pronoun becomes the names the previous question was
    about ("who denied it?" -> "who denied what was said about NATO and North Korea?"). What
    neither fits is asked as it stands: glued to the previous question, it would only find
    the previous answer again.
    """
    if not previous or not looks_like_follow_up(question):
        return question
    names = _names(previous)
    lead = _LEADS.match(question)
    rest = question[lead.end() :].strip(" ?,.") if lead else ""
    if rest and names and _CAPITALISED.fullmatch(rest) and len(rest.split()) <= _SHORT:
        last = names[-1]
        before = previous[: last.start()]
        if before.lower().endswith("the "):  # "partners in the Indo-Pacific": "in Japan"
            before = before[:-4]
        return before + rest + previous[last.end() :]
    if names and _PRONOUNS.search(question) and not lead:
        about = " and ".join(dict.fromkeys(m.group(0) for m in names))
        return _PRONOUNS.sub(lambda m: _replacement(m.group(0), about), question, count=1)
    return question


def _replacement(pronoun: str, about: str) -> str:
    word = pronoun.lower()
    if word in _POSSESSIVE:
        return f"{about}'s"
    if word in _THING:
        return f"what was said about {about}"
    return about


def heuristic_standalone(question: str, history: Sequence[str]) -> str:
    """Without an LLM: each turn made to stand alone against the one before, in order, so
    a follow-up to a follow-up still leans on what was first asked."""
    previous = ""
    for turn in history:
        previous = rewrite(turn, previous)
    return rewrite(question, previous)


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
