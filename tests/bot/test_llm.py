"""LLM mode against a real HTTP server speaking the OpenAI API, through the real client."""

import time
from typing import Any

import pytest
from pydantic import SecretStr

from bot.chain import Bot
from index.embed import LocalEmbedder
from index.settings import Settings
from tests.openai_stub import OpenAIStub

KEY = "sk-test-secret-1234"
QUESTION = "What did Stoltenberg ask of Korea?"


def llm_bot(seeded: Settings, embedder: LocalEmbedder, stub: OpenAIStub, **extra: Any) -> Bot:
    settings = seeded.model_copy(
        update={
            "openai_api_key": SecretStr(KEY),
            "openai_base_url": stub.url,
            "llm_timeout": 2.0,
            "llm_max_retries": 0,
            **extra,
        }
    )
    return Bot(settings, embedder)


def passage_number(bot: Bot, fragment: str) -> int:
    docs = bot.retriever.invoke(QUESTION)
    return next(n for n, d in enumerate(docs, 1) if fragment in d.page_content)


def test_answer_cites_the_passages_it_was_given(seeded: Settings, embedder: LocalEmbedder) -> None:
    with OpenAIStub([{"text": "placeholder"}]) as stub:
        bot = llm_bot(seeded, embedder, stub)
        n = passage_number(bot, "mendesak Korea Selatan")
        stub.script = [
            {
                "text": f'He urged South Korea to do more, citing a "kebutuhan mendesak" '
                f"for ammunition [{n}]."
            }
        ]
        answer = bot.ask(QUESTION)
    assert answer.mode == "llm" and answer.found
    assert [c.n for c in answer.citations] == [n]
    assert "mendesak Korea Selatan" in answer.citations[0].quote
    assert answer.flags == []
    assert stub.headers[0]["authorization"] == f"Bearer {KEY}"
    user = stub.requests[0]["messages"][-1]["content"]
    assert '<passage n="1"' in user and "</passage>" in user


def test_marker_for_a_passage_never_retrieved_is_dropped(
    seeded: Settings, embedder: LocalEmbedder
) -> None:
    with OpenAIStub([{"text": "He asked for more help [1][42]. Also this [99]."}]) as stub:
        answer = llm_bot(seeded, embedder, stub).ask(QUESTION)
    assert [c.n for c in answer.citations] == [1]
    assert "[42]" not in answer.answer and "[99]" not in answer.answer
    assert any("[42]" in f for f in answer.flags) and any("[99]" in f for f in answer.flags)


def test_misquote_is_flagged(seeded: Settings, embedder: LocalEmbedder) -> None:
    reply = 'Stoltenberg said "Korea must send tanks to Kyiv tomorrow" [1].'
    with OpenAIStub([{"text": reply}]) as stub:
        answer = llm_bot(seeded, embedder, stub).ask(QUESTION)
    assert "[unverified quote]" in answer.answer
    assert any("Korea must send tanks" in f for f in answer.flags)


def test_links_and_images_from_the_model_are_removed(
    seeded: Settings, embedder: LocalEmbedder
) -> None:
    reply = "See ![x](http://evil.example/p.png) and [this](http://evil.example) [1]."
    with OpenAIStub([{"text": reply}]) as stub:
        answer = llm_bot(seeded, embedder, stub).ask(QUESTION)
    assert "evil.example" not in answer.answer and "![" not in answer.answer


def test_model_saying_not_found_cites_nothing(seeded: Settings, embedder: LocalEmbedder) -> None:
    with OpenAIStub([{"text": "NOT_FOUND"}]) as stub:
        answer = llm_bot(seeded, embedder, stub).ask(QUESTION)
    assert not answer.found and answer.citations == [] and answer.mode == "llm"


def test_rate_limit_then_success_is_answered(seeded: Settings, embedder: LocalEmbedder) -> None:
    with OpenAIStub([{"status": 429}, {"text": "He asked for more help [1]."}]) as stub:
        answer = llm_bot(seeded, embedder, stub, llm_max_retries=1).ask(QUESTION)
    assert answer.mode == "llm" and answer.notice is None
    assert len(stub.requests) == 2


@pytest.mark.parametrize(
    "step, message",
    [
        ({"status": 429}, "rate-limited"),
        ({"status": 500}, "HTTP 500"),
        ({"hang": 5.0, "text": "late"}, "did not answer within 1 s"),
        ({"text": "He asked for more and more help [1].", "cut_after": 3}, "mid-answer"),
    ],
    ids=["429", "500", "hang", "cut-stream"],
)
def test_failing_backend_falls_back_to_evidence(
    seeded: Settings, embedder: LocalEmbedder, step: dict[str, Any], message: str
) -> None:
    with OpenAIStub([step]) as stub:
        bot = llm_bot(seeded, embedder, stub, llm_timeout=1.0)
        started = time.monotonic()
        answer = bot.ask(QUESTION)
        elapsed = time.monotonic() - started
    assert elapsed < 4.0
    assert answer.mode == "evidence" and answer.found and answer.citations
    assert answer.notice and message in answer.notice
    assert "Quoting the sources instead" in answer.notice
    assert KEY not in answer.notice and "127.0.0.1" not in answer.notice


def test_refused_connection_falls_back(seeded: Settings, embedder: LocalEmbedder) -> None:
    stub = OpenAIStub([{"text": "x"}])
    url = stub.url
    stub.server.server_close()  # nothing listens on that port any more
    settings = seeded.model_copy(
        update={"openai_api_key": SecretStr(KEY), "openai_base_url": url, "llm_max_retries": 0}
    )
    answer = Bot(settings, embedder).ask(QUESTION)
    assert answer.notice and "could not be reached" in answer.notice
    assert answer.citations


def test_follow_up_is_rewritten_by_the_model(seeded: Settings, embedder: LocalEmbedder) -> None:
    script = [
        {"text": "What did Stoltenberg say about working with Japan?"},
        {"text": "He named Japan among the partners NATO will work with more closely [1]."},
    ]
    with OpenAIStub(script) as stub:
        answer = llm_bot(seeded, embedder, stub).ask(
            "and Japan?", history=["What did Stoltenberg say about Indo-Pacific partners?"]
        )
    rewrite = stub.requests[0]["messages"][-1]["content"]
    assert "Rewrite the last question" in rewrite and "and Japan?" in rewrite
    assert answer.standalone == "What did Stoltenberg say about working with Japan?"
    assert answer.mode == "llm" and answer.citations
