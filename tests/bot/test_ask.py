from pathlib import Path

import pytest

from bot.answer import Answer
from bot.chain import Bot

REPO = Path(__file__).resolve().parents[2]
FURNITURE = ("ADVERTISEMENT", "Baca juga", "Google News", "google news", "ยฉ", "Viral!")


def assert_citations_are_exact(answer: Answer) -> None:
    for c in answer.citations:
        text = (REPO / c.source).read_text(encoding="utf-8")
        assert text[c.start : c.end] == c.quote
        assert not any(f in c.quote for f in FURNITURE)


def test_stoltenberg_korea_cites_both_seoul_articles(bot: Bot) -> None:
    answer = bot.ask("What did Stoltenberg ask of Korea?")
    assert answer.found and answer.mode == "evidence"
    assert answer.answer.startswith("Quoting the sources")
    assert_citations_are_exact(answer)
    quotes = {c.outlet: [] for c in answer.citations}  # type: dict[str, list[str]]
    for c in answer.citations:
        quotes[c.outlet].append(c.quote)
        assert f"[{c.n}]" in answer.answer
    medcom, kumparan = " ".join(quotes["Medcom"]), " ".join(quotes["kumparan"])
    assert "mendesak Korea Selatan untuk berbuat lebih banyak" in medcom
    assert "amunisi" in medcom
    assert "meminta negara itu untuk berbuat lebih banyak" in kumparan
    assert "amunisi" in kumparan
    assert len(answer.retrieved) >= 5
    assert answer.answer.rstrip().endswith("Outlets quoted: Medcom, kumparan")


def test_indonesian_question_gets_indonesian_framing(bot: Bot) -> None:
    answer = bot.ask("Apa yang diminta Stoltenberg dari Korea Selatan?")
    assert answer.found and answer.answer.startswith("Mengutip sumber")
    assert_citations_are_exact(answer)
    assert any("mendesak Korea Selatan" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Peru?",
        "Who won the 2022 World Cup?",
        "How do I bake sourdough bread?",
    ],
)
def test_unanswerable_questions_cite_nothing(bot: Bot, question: str) -> None:
    answer = bot.ask(question)
    assert not answer.found
    assert answer.citations == []
    first, *_ = answer.answer.split("\n\n")
    assert "The articles do not answer this question" in answer.answer
    assert answer.lacking == [] or all(name in first for name in answer.lacking)


def test_json_shape(bot: Bot) -> None:
    data = bot.ask("What did Stoltenberg say about the Indo-Pacific?").to_json()
    assert set(data) >= {"question", "mode", "found", "answer", "citations", "retrieved", "notice"}
    citation = data["citations"][0]
    assert set(citation) >= {"n", "source", "start", "end", "quote", "title", "outlet", "date"}
    assert citation["source"].startswith("seeds/")
    assert all(set(r) == {"source", "start", "end", "score"} for r in data["retrieved"])


def test_follow_up_uses_the_conversation(bot: Bot) -> None:
    first = "What did Stoltenberg say about partners in the Indo-Pacific?"
    answer = bot.ask("and Japan?", history=[first])
    assert answer.standalone == "What did Stoltenberg say about partners in Japan?"
    assert answer.found
    assert any("Jepang" in c.quote for c in answer.citations)
    # A follow-up to a follow-up leans on the first question, not on the glued pair.
    again = bot.ask("and China?", history=[first, "and Japan?"])
    assert again.standalone == "What did Stoltenberg say about partners in China?"
    # What cannot be rewritten is asked as it stands, never glued to the question before.
    for short in ("Why?", "Who denied what?"):
        asked = bot.ask(short, history=["How much of the military support comes from NATO?"])
        assert asked.standalone is None
        assert "NATO" not in asked.question


def test_a_question_that_stands_alone_is_not_rewritten(bot: Bot) -> None:
    answer = bot.ask("Who is Kwon Jong-gun?", history=["What did Stoltenberg ask of Korea?"])
    assert answer.standalone is None
    assert "Kwon Jong-gun" in answer.citations[0].quote


# Each example the page offers, with words of the passage that answers it.
ANSWERING = {
    "What did Stoltenberg ask of Korea?": "mendesak Korea Selatan untuk berbuat lebih banyak",
    "Why can South Korea not send weapons to Ukraine directly?": "melarang ekspor senjata",
    "Apa kata Stoltenberg tentang mitra Indo-Pasifik?": "dengan mitra kami di Indo-Pasifik",
    "Who denied the accusations against North Korea, and what did they say?": (
        "Korut telah membantah tudingan tersebut"
    ),
}


def test_every_example_the_page_offers_is_answered_with_its_passage(bot: Bot) -> None:
    from bot.web.page import EXAMPLES

    assert set(EXAMPLES) == set(ANSWERING)
    for example in EXAMPLES:
        answer = bot.ask(example)
        assert answer.found and not answer.lacking, (example, answer.answer)
        assert any(ANSWERING[example] in c.quote for c in answer.citations), example
