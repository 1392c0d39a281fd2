"""One client floods the page; how long does another user wait for an ordinary answer?

    python bench/flood.py [--asks 10] [--flood 300]

One app (`python -m bot serve`, evidence mode, embedded Chroma) over an index of the seeds,
on loopback. The other user asks ordinary questions through the page's chat event one after
another, first on the quiet app (the baseline), then while one session sends a 1 MB
question, a 2 MB earlier turn and 300 more questions at once. Same app, same run. Prints a
Markdown table for BENCHMARKS.md.
"""

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.app_process: the launcher the tests use

from gradio_client import Client  # noqa: E402

from index.embed import LocalEmbedder  # noqa: E402
from index.ingest import ingest_paths  # noqa: E402
from index.settings import Settings  # noqa: E402
from tests.app_process import running_app  # noqa: E402
from tests.load_client import percentile, reply_text, settled  # noqa: E402

QUESTIONS = [
    "Who is Kwon Jong-gun?",
    "What did Stoltenberg ask of Korea?",
    "Siapa yang membantah tudingan tersebut?",
    "Why can South Korea not send weapons to Ukraine directly?",
]


def timed_asks(url: str, count: int) -> list[float]:
    """One user's session (one client, as one open page), a new conversation each time."""
    user = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    times = []
    try:
        for n in range(count):
            started = time.perf_counter()
            _, history = user.predict(QUESTIONS[n % len(QUESTIONS)], [], api_name="/ask")
            times.append(time.perf_counter() - started)
            if "/source/" not in reply_text(history[-1]):
                raise SystemExit(f"not an answer: {reply_text(history[-1])[:200]}")
    finally:
        user.close()
    return times


def row(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"| {label} | {len(times)} | {1000 * statistics.median(ordered):.0f} "
        f"| {1000 * percentile(ordered, 95):.0f} | {1000 * ordered[-1]:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asks", type=int, default=10)
    parser.add_argument("--flood", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        ingest_paths(settings, [REPO / "seeds"], LocalEmbedder())
        with running_app(settings.data_dir) as url:
            timed_asks(url, 2)  # warm
            quiet = timed_asks(url, args.asks)
            flood = Client(url, verbose=False, analytics_enabled=False, download_files=False)
            try:
                big = settled(flood.submit("apa " * 250_000, [], api_name="/ask"))
                turn = [{"role": "user", "content": [{"type": "text", "text": "x" * 2_000_000}]}]
                long_history = flood.submit("and Japan?", turn, api_name="/ask")
                jobs = [
                    flood.submit(f"What did Stoltenberg ask of Korea? ({n})", [], api_name="/ask")
                    for n in range(args.flood)
                ]
                started = time.perf_counter()
                busy = timed_asks(url, args.asks)
                results = [settled(job) for job in jobs]
                drained = time.perf_counter() - started
                big_reply = big
                settled(long_history)
            finally:
                flood.close()
    turned_away = sum(r == "429" for r in results)
    refused = sum("One question at a time" in r for r in results)
    answered = sum("/source/" in r for r in results)
    dropped = sum(r == "dropped" for r in results)
    print(f"## Bounded work: one client floods the page (issue 14), {date.today()}\n")
    print(f"Machine: {platform.node()}, {platform.machine()}, Python {platform.python_version()}.")
    print("Command: `.venv/bin/python bench/flood.py`\n")
    print("| another user's ordinary question | asks | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    print(row("quiet app (baseline)", quiet))
    print(row(f"during the flood (1 MB question + {args.flood} queued)", busy))
    print(
        f"\nThe flood's {args.flood} questions: {answered} answered, {turned_away} turned away "
        f"before the queue (429: the session's line was full), {refused} refused in the "
        f"handler (one question at a time), {dropped} lost by gradio_client; all settled in "
        f"{drained:.1f} s. The 1 MB question got: {big_reply[:90]!r}."
    )


if __name__ == "__main__":
    main()
