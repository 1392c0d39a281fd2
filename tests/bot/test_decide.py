"""The one decision: answer, answer in part, or refuse, on the real seeds index."""

import pytest

from bot.chain import Bot
from bot.decide import Words, find_anchors, mentions
from bot.names import localize_names, topic_names
from index.errors import QuestionError


def test_names_and_numbers_are_anchors_but_a_first_word_is_not() -> None:
    anchors = find_anchors("Besides Japan, what did Putin's army do in Kyiv in 2022?")
    assert [a.label for a in anchors] == ["Japan", "Kyiv", "Putin", "2022"]
    japan = anchors[0]
    assert japan.forms == (("japan",), ("jepang",))


def test_a_close_spelling_mentions_a_name_but_a_near_number_does_not() -> None:
    kiev, year = find_anchors("Did it reach Kiev in 2005?")
    assert mentions(kiev, Words({"menuju", "kyiv"}))
    assert not mentions(kiev, Words({"kairo"}))
    assert mentions(year, Words({"2005"})) and not mentions(year, Words({"2006"}))


def test_english_place_names_reach_indonesian_text() -> None:
    assert localize_names("and South Korea?") == "and South Korea (Korea Selatan)?"
    assert topic_names("Claims about Japan by Kishida?") == ["Jepang", "Kishida"]


@pytest.mark.parametrize(
    "question",
    [
        "Why is it hard for Seoul to send weapons directly to Kiev?",  # the articles: Kyiv
        "Where is Putin's army getting weapons from?",  # a possessive
        "Besides Germany, which country changed its arms export policy?",  # a first word
        "When did Putin order the invasion of Ukraine?",
    ],
)
def test_answerable_questions_are_answered(bot: Bot, question: str) -> None:
    answer = bot.ask(question)
    assert answer.found, answer.answer
    assert answer.citations


def test_quotes_are_ordered_and_not_padded(bot: Bot) -> None:
    answer = bot.ask("Why is it hard for Seoul to send weapons directly to Kiev?")
    assert "Kyiv" in answer.citations[0].quote
    assert len(answer.citations) < len(answer.retrieved)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "What did Stoltenberg say about Macron and South Korea?",
            "None of the articles mentions Macron.",
        ),
        ("What did Trump say about NATO?", "None of the articles mentions Trump."),
        ("What did Stoltenberg say about Taiwan?", "None of the articles mentions Taiwan."),
    ],
)
def test_what_no_article_mentions_is_said_first(bot: Bot, question: str, lead: str) -> None:
    answer = bot.ask(question)
    assert answer.answer.startswith(lead), answer.answer
    assert lead.split()[-1].rstrip(".") in answer.lacking


def test_retriever_is_a_langchain_retriever(bot: Bot) -> None:
    docs = bot.retriever.invoke("Kwon Jong-gun")
    assert docs[0].metadata["source"].endswith("001_7c76dbf8ebe446d4.txt")
    assert "Kwon Jong-gun" in docs[0].page_content
    assert docs == sorted(docs, key=lambda d: -d.metadata["score"])


def test_a_long_question_gets_a_reason_and_history_is_bounded(bot: Bot) -> None:
    with pytest.raises(QuestionError, match="at most 2,000"):
        bot.ask("x" * 2001)
    for nonsense in ("   ", "😀" * 50, "?!"):
        with pytest.raises(QuestionError, match="no words"):
            bot.ask(nonsense)
    with pytest.raises(QuestionError, match="not valid text"):
        bot.ask("\ud800 Stoltenberg?")
    question, history = bot.bounded("and Japan?", ["y" * 5000] * 9 + ["\ud800 x"])
    assert history[-1] == "? x"
    assert question == "and Japan?"
    assert len(history) == bot.settings.history_turns
    assert all(len(turn) == bot.settings.max_question_chars for turn in history[:-1])
