"""Many callers from code: 8 concurrent clients on /api/ask, /v1/chat/completions and the
page's chat event, next to in-process `Bot.ask` calls on the same machine, same run.

    python bench/api.py [--clients 8] [--seconds 20]

One app (`python -m bot serve`, evidence mode, embedded Chroma) over the seeds on loopback.
Each client asks the seeds questions back to back for `--seconds`; reported: requests per
second and p50/p95 latency. The in-process row is the limit (the same questions through one
`Bot` from 8 threads). Prints Markdown for BENCHMARKS.md.
"""

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gradio_client import Client  # noqa: E402

from bot.chain import Bot  # noqa: E402
from index.embed import LocalEmbedder  # noqa: E402
from index.ingest import ingest_paths  # noqa: E402
from index.settings import Settings  # noqa: E402
from tests.app_process import running_app  # noqa: E402
from tests.load_client import percentile  # noqa: E402

QUESTIONS = [
    "What did Stoltenberg ask of Korea?",
    "Who is Kwon Jong-gun?",
    "Siapa yang membantah tudingan tersebut?",
    "Why can South Korea not send weapons to Ukraine directly?",
    "Apa kata Stoltenberg tentang mitra Indo-Pasifik?",
]


def run(clients: int, seconds: float, make: Callable[[], Callable[[str], None]]) -> list[float]:
    """`clients` threads, each with its own caller, asking until the time is up."""
    deadline = time.monotonic() + seconds

    def one(n: int) -> list[float]:
        ask = make()
        times, turn = [], n
        while time.monotonic() < deadline:
            started = time.perf_counter()
            ask(QUESTIONS[turn % len(QUESTIONS)])
            times.append(time.perf_counter() - started)
            turn += 1
        return times

    with ThreadPoolExecutor(clients) as pool:
        return [t for times in pool.map(one, range(clients)) for t in times]


def row(label: str, times: list[float], seconds: float, limit: float | None) -> str:
    ordered = sorted(times)
    rate = len(times) / seconds
    share = f"{rate / limit:.2f}" if limit else "1.00"
    return (
        f"| {label} | {len(times)} | {rate:.1f} | {share} "
        f"| {1000 * statistics.median(ordered):.0f} | {1000 * percentile(ordered, 95):.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        embedder = LocalEmbedder()
        ingest_paths(settings, [REPO / "seeds"], embedder)
        bot = Bot(settings, embedder)
        bot.ask(QUESTIONS[0])

        def in_process() -> Callable[[str], None]:
            def ask(q: str) -> None:
                bot.ask(q)

            return ask

        limit_times = run(args.clients, args.seconds, in_process)
        with running_app(settings.data_dir) as url:

            def api() -> Callable[[str], None]:
                session = httpx.Client(timeout=60)
                return lambda q: session.post(
                    f"{url}/api/ask", json={"question": q}
                ).raise_for_status()

            def wire() -> Callable[[str], None]:
                session = httpx.Client(timeout=60)

                def ask(q: str) -> None:
                    body = {"model": "claimbot", "messages": [{"role": "user", "content": q}]}
                    session.post(f"{url}/v1/chat/completions", json=body).raise_for_status()

                return ask

            def page() -> Callable[[str], None]:
                client = Client(url, verbose=False, analytics_enabled=False, download_files=False)

                def ask(q: str) -> None:
                    client.predict(q, [], api_name="/ask")

                return ask

            results = {
                "/api/ask": run(args.clients, args.seconds, api),
                "/v1/chat/completions": run(args.clients, args.seconds, wire),
                "page chat event (/ask, gradio_client)": run(args.clients, args.seconds, page),
            }
    limit = len(limit_times) / args.seconds
    print(f"## Many callers from code (issue 16), {date.today()}\n")
    print(f"Machine: {platform.node()}, {platform.machine()}, Python {platform.python_version()}.")
    each = f"{args.clients} clients, {args.seconds:g} s each"
    print(f"Command: `.venv/bin/python bench/api.py` ({each})\n")
    print("| caller | requests | per second | × in-process | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    print(row("in-process `Bot.ask` (the limit)", limit_times, args.seconds, None))
    for label, times in results.items():
        print(row(label, times, args.seconds, limit))


if __name__ == "__main__":
    main()
