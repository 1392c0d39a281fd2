"""claimbot from code, against the real app over HTTP: the JSON API, the OpenAI wire through
the real `openai` client, and the page's own short list of Gradio endpoints."""

import json
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from gradio_client import Client

from index.settings import Settings
from tests.app_process import running_app
from tests.load_client import copy_index
from tests.openai_stub import OpenAIStub

KEY = "sk-claimbot-test-key-0001"
LOGINS = "ana:s3cret-ana"
BEARER = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def app(seeded: Settings, tmp_path_factory: pytest.TempPathFactory) -> Any:
    data_dir = copy_index(seeded.data_dir, tmp_path_factory.mktemp("api") / "data")
    with running_app(data_dir, CLAIMBOT_AUTH=LOGINS, CLAIMBOT_API_KEYS=KEY) as url:
        yield url, data_dir


def test_ask_and_its_errors(app: Any) -> None:
    url, _ = app
    refused = httpx.post(f"{url}/api/ask", json={"question": "Who is Kwon Jong-gun?"})
    assert refused.status_code == 401 and "error" in refused.json()
    wrong = httpx.post(
        f"{url}/api/ask", json={"question": "x"}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401

    ask = httpx.post(
        f"{url}/api/ask",
        json={"question": "What did Stoltenberg ask of Korea?"},
        headers=BEARER,
        timeout=60,
    )
    assert ask.status_code == 200
    answer = ask.json()
    assert answer["found"] and answer["mode"] == "evidence"
    cited = answer["citations"][0]
    assert len(cited["doc_id"]) == 16 and "/" not in cited["source"] and cited["quote"]
    follow = httpx.post(
        f"{url}/api/ask",
        json={
            "question": "and Japan?",
            "history": [{"role": "user", "content": "What did Stoltenberg ask of Korea?"}],
        },
        auth=("ana", "s3cret-ana"),
        timeout=60,
    ).json()
    assert follow["standalone"] == "What did Stoltenberg ask of Japan?"

    for body in ({"question": "x" * 2001}, {"question": "  "}, {"nothing": 1}):
        bad = httpx.post(f"{url}/api/ask", json=body, headers=BEARER, timeout=60)
        assert bad.status_code == 400 and "error" in bad.json(), bad.text
    as_json = {**BEARER, "Content-Type": "application/json"}
    broken = httpx.post(f"{url}/api/ask", content=b"{not json", headers=as_json)
    assert broken.status_code == 400 and "Traceback" not in broken.text
    lone = json.dumps({"question": "What did \ud800 say?"})  # a lone surrogate, JSON-escaped
    surrogate = httpx.post(f"{url}/api/ask", content=lone, headers=as_json)
    assert surrogate.status_code == 400 and "not valid text" in surrogate.json()["error"]


def test_claims_documents_and_openapi(app: Any, tmp_path: Path) -> None:
    url, data_dir = app
    disputed = httpx.get(f"{url}/api/claims", params={"disputed": "true"}, headers=BEARER).json()
    assert disputed and all(c["disputed"] for c in disputed)
    kwon = httpx.get(f"{url}/api/claims", params={"speaker": "Kwon"}, headers=BEARER).json()
    assert [c["speaker"] for c in kwon] == ["Kwon Jong-gun"]
    documents = httpx.get(f"{url}/api/documents", headers=BEARER).json()
    assert len(documents) == 3 and all("/" not in d["file"] for d in documents)

    article = tmp_path / "beras.txt"
    article.write_text(
        "Jakarta (ANTARA) - Kepala Badan Pangan Arief Prasetyo Adi mengatakan bahwa cadangan "
        "beras pemerintah cukup untuk enam bulan ke depan.\n",
        encoding="utf-8",
    )
    added = httpx.post(
        f"{url}/api/documents",
        files={"files": ("beras.txt", article.read_bytes(), "text/plain")},
        data={"outlet": "Antara", "date": "2024-05-02"},
        headers=BEARER,
        timeout=60,
    )
    assert added.status_code == 200 and added.json()["indexed"] == ["beras.txt"], added.text
    assert len(httpx.get(f"{url}/api/documents", headers=BEARER).json()) == 4
    sidecar = json.loads((data_dir / "uploads" / "beras.json").read_text(encoding="utf-8"))
    assert sidecar["uploaded_by"] == "api key 1"
    bad = httpx.post(
        f"{url}/api/documents",
        files={"files": ("x.txt", article.read_bytes(), "text/plain")},
        data={"date": "2024-13-45"},
        headers=BEARER,
    )
    assert bad.status_code == 400 and "real date" in bad.json()["error"]
    big = httpx.post(
        f"{url}/api/documents",
        files={"files": ("big.txt", b"a " * 6_000_000, "text/plain")},
        headers=BEARER,
        timeout=60,
    )
    assert big.status_code == 413 and "error" in big.json()

    spec = httpx.get(f"{url}/api/openapi.json", headers=BEARER).json()
    assert {"/api/ask", "/api/claims", "/api/documents", "/v1/chat/completions"} <= set(
        spec["paths"]
    )
    assert httpx.get(f"{url}/api/openapi.json").status_code == 401
    assert httpx.get(f"{url}/api/docs", headers=BEARER).status_code == 200


def test_the_openai_client_works_unchanged(app: Any) -> None:
    url, _ = app
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
    assert [m.id for m in client.models.list()] == ["claimbot"]
    messages: Any = [{"role": "user", "content": "What did Stoltenberg ask of Korea?"}]
    reply = client.chat.completions.create(model="claimbot", messages=messages)
    text = reply.choices[0].message.content or ""
    assert "[1]" in text and "Berbicara di Chey Institute" in text
    citations = (reply.model_extra or {})["citations"]
    assert citations[0]["n"] == 1 and citations[0]["quote"] in text

    streamed, last = "", None
    for chunk in client.chat.completions.create(model="claimbot", messages=messages, stream=True):
        streamed += chunk.choices[0].delta.content or ""
        last = chunk
    assert streamed == text
    assert last is not None and (last.model_extra or {})["citations"] == citations

    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(
            model="claimbot", messages=[{"role": "user", "content": "x" * 3000}]
        )
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{url}/v1", api_key="wrong-key", max_retries=0).models.list()


def test_the_pages_own_api_is_a_short_honest_list(app: Any) -> None:
    url, _ = app
    page = Client(url, verbose=False, analytics_enabled=False, headers=BEARER)
    try:
        endpoints = set(page.view_api(print_info=False, return_format="dict")["named_endpoints"])
    finally:
        page.close()
    assert endpoints == {"/ask", "/upload", "/claims"}


def test_an_api_answer_stops_when_its_caller_leaves(seeded: Settings, tmp_path: Path) -> None:
    never_ending = {"text": "Stoltenberg meminta bantuan [1]", "drip": 0.2, "seconds": 60}
    data_dir = copy_index(seeded.data_dir, tmp_path / "data")
    with (
        OpenAIStub([never_ending]) as stub,
        running_app(
            data_dir, OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=stub.url, CLAIMBOT_LLM_TIMEOUT="60"
        ) as url,
    ):
        with pytest.raises(httpx.ReadTimeout):  # the caller gives up after 3 s
            httpx.post(f"{url}/api/ask", json={"question": "What did Stoltenberg ask?"}, timeout=3)
        assert stub.client_left.wait(20), "the model was still being read after the caller left"
