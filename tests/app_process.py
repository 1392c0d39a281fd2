"""Start the real app (`python -m bot serve`) on a free loopback port, and stop it."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 90
# A one-sentence denial whose speaker the ledger must show once it is ingested.
DENIAL_ARTICLE = (
    "Jakarta (ANTARA) - Juru bicara Kementerian Luar Negeri Iran Nasser Kanaani membantah "
    "tudingan bahwa Teheran mengirim pesawat nirawak ke Rusia.\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment less any LLM or claimbot settings of the person running the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMBOT_"))}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    env.update(extra)
    return env


def bot_command(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS --data-dir DATA_DIR`, as a user runs it, in a clean environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--data-dir", str(data_dir)],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def bot_output(*args: str, data_dir: Path) -> str:
    """What a command that must succeed prints."""
    result = bot_command(*args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate a server; kill it if it has not exited within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def kill_ingest_midway(folder: Path, data_dir: Path, after_files: int, **env: str) -> int:
    """Run `python -m bot ingest folder`, SIGKILL it (workers too) once `after_files` are
    done; return its exit status (-9 when it was killed, 0 if it finished first)."""
    command = [sys.executable, "-m", "bot", "ingest", str(folder), "--data-dir", str(data_dir)]
    with subprocess.Popen(
        command,
        cwd=REPO,
        env=clean_env(**env),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its workers too
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:  # "Indexing: 12/40 files, about 9 s left"
            if line.startswith("Indexing: ") and int(line.split()[1].split("/")[0]) >= after_files:
                os.killpg(process.pid, signal.SIGKILL)
                break
        return process.wait(timeout=60)


def wait_until_up(
    url: str, process: subprocess.Popen[Any], output: Callable[[], str] = lambda: ""
) -> None:
    """Poll `url` until it answers 200 (for /healthz: with the page ready too); fail if the
    server exits or does not come up."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {output()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read()
                if response.status == 200 and not url.endswith("/healthz"):
                    return
                if response.status == 200 and json.loads(body).get("page") in ("ready", None):
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not come up: {output()}")
        time.sleep(0.1)  # polling a server that is starting, not a test wait


@contextlib.contextmanager
def running_app(data_dir: Path, **env: str) -> Iterator[str]:
    """Yield the base URL of a running app; the process is stopped afterwards."""
    with app_process(data_dir, **env) as (url, _):
        yield url


@contextlib.contextmanager
def app_process(data_dir: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """As `running_app`, also yielding the process (e.g. to read its memory in /proc)."""
    port = free_port()
    log_path = data_dir.parent / f"app-{port}.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=REPO,
        env=clean_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", process, lambda: log_path.read_text(encoding="utf-8"))
        yield url, process
    finally:
        stop(process)
        log.close()


@contextlib.contextmanager
def running_chroma(path: Path, port: int | None = None) -> Iterator[str]:
    """Yield the URL of a real `chroma run` on loopback storing under `path`; stop it after."""
    with chroma_process(path, port) as (url, _):
        yield url


@contextlib.contextmanager
def chroma_process(
    path: Path, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """As `running_chroma`, also yielding the process (e.g. to read its memory in /proc)."""
    port = port or free_port()
    path.mkdir(parents=True, exist_ok=True)
    log_path = path.parent / f"chroma-{port}.log"
    log = log_path.open("a", encoding="utf-8")
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        env=clean_env(ANONYMIZED_TELEMETRY="False"),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(
            f"{url}/api/v2/heartbeat", process, lambda: log_path.read_text(encoding="utf-8")
        )
        yield url, process
    finally:
        stop(process)
        log.close()
