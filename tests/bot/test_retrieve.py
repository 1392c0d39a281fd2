from bot.chain import Bot
from bot.names import localize_names, missing_names


def test_bm25_vote_shrinks_for_a_question_in_another_language(bot: Bot) -> None:
    lexical = bot.corpus.lexical
    english = lexical.coverage("What did Stoltenberg ask of Korea?")
    indonesian = lexical.coverage("Apa yang diminta Stoltenberg dari Korea Selatan?")
    assert english < 0.5 < indonesian


def test_english_place_names_reach_indonesian_text() -> None:
    assert "Jepang" in localize_names("and Japan?")
    assert missing_names("What about Japan and North Korea?", {"jepang", "korea", "utara"}) == []
    assert missing_names("What did Biden say?", {"bidang", "say"}) == ["Biden"]


def test_retriever_is_a_langchain_retriever(bot: Bot) -> None:
    docs = bot.retriever.invoke("Kwon Jong-gun")
    assert docs[0].metadata["source"].endswith("001_7c76dbf8ebe446d4.txt")
    assert "Kwon Jong-gun" in docs[0].page_content
    assert docs == sorted(docs, key=lambda d: -d.metadata["score"])
