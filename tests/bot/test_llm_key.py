"""The API key stays secret when the LLM backend fails: the real app and the real CLI.

The key is one a test server quotes back in its error bodies, as some OpenAI-compatible
servers do; it must reach that server and nothing else: not the log, the page, the chat
stream or the CLI's output.
"""

import json
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.settings import Settings
from tests.app_process import REPO, clean_env, running_app
from tests.openai_stub import OpenAIStub

pytestmark = pytest.mark.slow
KEY = "sk-test-SECRET-0123456789abcdef"
QUESTION = "What did Stoltenberg ask of Korea?"
FAILURES = [
    {"status": 401, "echo_key": True},
    {"status": 429, "echo_key": True},
    {"status": 500, "echo_key": True},
    {"hang": 5.0, "text": "late"},
    {"text": "He asked for more and more help [1].", "cut_after": 3},
]
BACKEND = {"CLAIMBOT_LLM_TIMEOUT": "1", "CLAIMBOT_LLM_MAX_RETRIES": "0", "OPENAI_LOG": "debug"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, seeded: Settings) -> Path:
    """A copy of the seeded index, so that no other process opens the session's own."""
    target = tmp_path_factory.mktemp("key") / "data"
    shutil.copytree(seeded.data_dir, target)
    return target


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub([{"text": "unused"}]) as server:
        yield server


def chat(url: str, question: str, history: list[dict[str, Any]]) -> str:
    """Ask through the page's own API (what the browser calls); the whole event stream."""
    body = json.dumps({"data": [question, history]}).encode()
    request = urllib.request.Request(
        f"{url}/gradio_api/call/ask", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/ask/{event}", timeout=60) as r:
        return str(r.read().decode("utf-8"))


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8", "replace"))


def test_key_is_not_in_the_app_log_page_or_chat(data_dir: Path, stub: OpenAIStub) -> None:
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": stub.url, **BACKEND}
    seen: list[str] = []
    with running_app(data_dir, **env) as url:
        for step in FAILURES:
            stub.script = [step]
            stream = chat(url, QUESTION, [])
            assert "Quoting the sources instead" in stream, stream[-500:]
            seen.append(stream)
        seen += [get(url), get(f"{url}/config"), get(f"{url}/gradio_api/info")]
        port = url.rsplit(":", 1)[1]
    log = (data_dir.parent / f"app-{port}.log").read_text(encoding="utf-8")
    assert stub.headers[-1]["authorization"] == f"Bearer {KEY}"  # the key was really in use
    assert "HTTP Response: POST 401" in log  # the client's debug log was on, and was read
    assert KEY not in log
    for text in seen:
        assert KEY not in text


@pytest.mark.parametrize("step", FAILURES, ids=["401", "429", "500", "hang", "cut"])
def test_key_is_not_in_cli_output(data_dir: Path, stub: OpenAIStub, step: dict[str, Any]) -> None:
    stub.script = [step]
    env = clean_env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=stub.url, **BACKEND)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", QUESTION, "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["mode"] == "evidence" and answer["notice"]
    assert KEY not in result.stdout and KEY not in result.stderr
