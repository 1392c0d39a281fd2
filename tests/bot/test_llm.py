"""LLM mode against a real HTTP server speaking the OpenAI API, through the real client."""

import json
import time
import traceback
from typing import Any

import pytest
from pydantic import SecretStr

from bot.chain import Bot
from bot.llm import answer_seconds, stream_llm
from index.embed import LocalEmbedder
from index.errors import LLMError
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
    retries = Settings.model_fields["llm_max_retries"].default  # the shipped default is enough
    with OpenAIStub([{"status": 429}, {"text": "He asked for more help [1]."}]) as stub:
        bot = llm_bot(seeded, embedder, stub, llm_max_retries=retries)
        started = time.monotonic()
        answer = bot.ask(QUESTION)
        elapsed = time.monotonic() - started
    assert answer.mode == "llm" and answer.notice is None and answer.citations
    assert len(stub.requests) == 2
    assert elapsed < 3.0  # one backoff of at most 0.5 s, not the minutes a default client takes


def test_rate_limited_twice_with_retry_after_is_answered_with_the_defaults(
    seeded: Settings, embedder: LocalEmbedder
) -> None:
    script = [
        {"status": 429, "retry_after": 1},
        {"status": 429, "retry_after": 1},
        {"text": "He asked for more help [1]."},
    ]
    with OpenAIStub(script) as stub:
        defaults = {k: Settings.model_fields[k].default for k in ("llm_timeout", "llm_max_retries")}
        bot = llm_bot(seeded, embedder, stub, **defaults)  # the shipped timeout and retries
        started = time.monotonic()
        answer = bot.ask(QUESTION)
        elapsed = time.monotonic() - started
    assert answer.mode == "llm" and answer.notice is None and answer.citations
    assert len(stub.requests) == 3
    assert 2.0 <= elapsed < answer_seconds(bot.settings)  # it waited as asked, within budget


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


# How long the openai client may wait between two tries (0.5 s backoff, less jitter), and
# what retrieval and the evidence answer may take on top.
BACKOFF = 0.5
SLACK = 3.0  # retrieval, evidence answer, and a busy 2-core machine


@pytest.mark.parametrize(
    "step",
    [
        {"hang": 30.0, "text": "late"},
        {"status": 429},
        {"text": "He asked for more and more help [1].", "stall_after": 3, "hang": 30.0},
        {"text": "He asked for more and more", "drip": 0.2, "seconds": 20.0},
        {"keepalive": 0.2, "seconds": 20.0},
    ],
    ids=["hang", "429-always", "stall-mid-stream", "never-ending-answer", "keep-alive-only"],
)
def test_failing_backend_answers_within_the_configured_time(
    seeded: Settings, embedder: LocalEmbedder, step: dict[str, Any]
) -> None:
    """timeout x (retries + 1) plus backoff, whatever the server does; read timeouts alone
    never fire on a body that keeps trickling."""
    with OpenAIStub([step]) as stub:
        bot = llm_bot(seeded, embedder, stub, llm_timeout=1.0, llm_max_retries=1)
        limit = answer_seconds(bot.settings) + BACKOFF * bot.settings.llm_max_retries + SLACK
        started = time.monotonic()
        answer = bot.ask(QUESTION)
        elapsed = time.monotonic() - started
    assert elapsed < limit, f"{elapsed:.1f} s, allowed {limit:.1f} s"
    assert answer.mode == "evidence" and answer.found and answer.citations
    assert answer.notice and answer.notice.endswith("Quoting the sources instead.")


def test_follow_up_to_a_hanging_backend_waits_for_one_timeout_not_two(
    seeded: Settings, embedder: LocalEmbedder
) -> None:
    """The rewrite of a follow-up fails first; the answer step must not ask the model again."""
    with OpenAIStub([{"hang": 30.0, "text": "late"}]) as stub:
        bot = llm_bot(seeded, embedder, stub, llm_timeout=1.0, llm_max_retries=1)
        limit = answer_seconds(bot.settings) + BACKOFF * bot.settings.llm_max_retries + SLACK
        started = time.monotonic()
        answer = bot.ask("And what about ammunition?", ["What did Stoltenberg ask of Korea?"])
        elapsed = time.monotonic() - started
        asked = len(stub.requests)
    assert elapsed < limit, f"{elapsed:.1f} s, allowed {limit:.1f} s"
    assert asked == bot.settings.llm_max_retries + 1  # the rewrite's tries only
    assert answer.mode == "evidence" and answer.citations
    assert (
        answer.notice
        == "The language model did not answer within 1 s. Quoting the sources instead."
    )


def test_failed_answer_keeps_the_question_and_the_conversation(
    seeded: Settings, embedder: LocalEmbedder
) -> None:
    from bot.web.chat import respond

    earlier = [
        {"role": "user", "content": "Who is Stoltenberg?"},
        {"role": "assistant", "content": "The Secretary General of NATO [1]."},
    ]
    with OpenAIStub([{"status": 429}]) as stub:
        *_, (box, chat) = respond(llm_bot(seeded, embedder, stub), QUESTION, list(earlier))
    assert box == ""  # the question moved into the conversation
    assert chat[:2] == earlier
    assert chat[2] == {"role": "user", "content": QUESTION}
    reply = chat[3]["content"]
    assert chat[3]["role"] == "assistant" and len(chat) == 4
    assert "rate-limited right now" in reply and "Quoting the sources instead" in reply
    assert "](/source/" in reply  # the evidence answer, with its citation links


ECHOED_KEY = {"status": 401, "echo_key": True}


@pytest.mark.parametrize(
    "step",
    [
        ECHOED_KEY,
        {"status": 429, "echo_key": True},
        {"status": 500, "echo_key": True},
        {"hang": 5.0, "text": "late"},
        {"text": f"He asked for help; my key is {KEY} [1].", "cut_after": 6},
    ],
    ids=["401-echoing-the-key", "429-echoing-the-key", "500-echoing-the-key", "hang", "cut"],
)
def test_api_key_is_in_no_error_or_answer(
    seeded: Settings, embedder: LocalEmbedder, step: dict[str, Any]
) -> None:
    with OpenAIStub([step]) as stub:
        bot = llm_bot(seeded, embedder, stub, llm_timeout=1.0)
        docs = bot.retriever.invoke(QUESTION)
        with pytest.raises(LLMError) as caught:
            list(stream_llm(bot.settings, bot.llm, QUESTION, docs, "en"))
        answer = bot.ask(QUESTION)
    assert stub.headers[0]["authorization"] == f"Bearer {KEY}"  # the key was really sent
    error = caught.value
    told = "".join(traceback.format_exception(error))  # what a log would print
    assert KEY not in str(error) and KEY not in told
    assert answer.notice and KEY not in json.dumps(answer.to_json())
