"""The LLM claim extractor at ingest, against a real OpenAI-compatible server on loopback."""

import json
from pathlib import Path

from pydantic import SecretStr

from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store
from tests.openai_stub import OpenAIStub

PRESIDENT = "Presiden Joko Widodo: pembangunan ibu kota baru tetap berjalan sesuai rencana."
ARTICLE = (
    "Jakarta (ANTARA) - Menteri Keuangan Sri Mulyani mengatakan bahwa defisit akan turun.\n"
    f"{PRESIDENT}\n"
)


def llm_settings(tmp_path: Path, stub: OpenAIStub) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        openai_api_key=SecretStr("sk-test"),
        openai_base_url=stub.url,
        llm_timeout=2.0,
        llm_max_retries=0,
    )


def test_llm_adds_claims_only_where_the_text_is_in_the_source(
    tmp_path: Path, embedder: LocalEmbedder
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    reply = {
        "claims": [
            {
                "speaker": "Joko Widodo",
                "role": "Presiden",
                "kind": "statement",
                "text": PRESIDENT,
            },
            {"speaker": "Joko Widodo", "kind": "statement", "text": "Jokowi cancelled the move."},
            {
                "speaker": "Sri Mulyani",
                "kind": "statement",
                "text": "Menteri Keuangan Sri Mulyani mengatakan bahwa defisit akan turun.",
            },
        ]
    }
    with OpenAIStub([{"text": json.dumps(reply)}]) as stub:
        settings = llm_settings(tmp_path, stub)
        report = ingest_paths(settings, [tmp_path / "a.txt"], embedder)
        assert stub.requests[0]["response_format"] == {"type": "json_object"}
    assert report.warnings == []
    claims = sorted(Store(settings, embedder).claims(), key=lambda c: int(c.meta["start"]))
    assert [(c.meta["speaker"], c.text[:20]) for c in claims] == [
        ("Sri Mulyani", "Jakarta (ANTARA) - M"),
        ("Joko Widodo", "Presiden Joko Widodo"),
    ]
    text = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert all(text[int(c.meta["start"]) : int(c.meta["end"])] == c.text for c in claims)


def test_failing_llm_keeps_the_offline_claims(tmp_path: Path, embedder: LocalEmbedder) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with OpenAIStub([{"status": 500}]) as stub:
        settings = llm_settings(tmp_path, stub)
        report = ingest_paths(settings, [tmp_path / "a.txt"], embedder)
    assert report.indexed and "kept the offline claims only" in report.warnings[0]
    assert [c.meta["speaker"] for c in Store(settings, embedder).claims()] == ["Sri Mulyani"]
