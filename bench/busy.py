"""Query time of the bundled model on a busy machine, OpenMP threads spinning or sleeping.

    python bench/busy.py [--rounds N]

Starts one busy process per core (each a pure-Python loop, as other work on a shared
machine would be), then times `LocalEmbedder.embed_query` on the seeds' questions in a
fresh process per setting of OMP_WAIT_POLICY: ACTIVE (the engine's default behaviour,
threads spin while they wait) and PASSIVE (what index/embed.py sets unless the user set
it). A quiet-machine run of both, without the busy processes, is the baseline.
"""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import statistics, sys, time
from index.embed import LocalEmbedder
sys.path.insert(0, "bench")
from seeds import QUESTIONS
embedder = LocalEmbedder()
embedder.embed_query("warm up")
seconds = []
for _ in range(int(sys.argv[1])):
    for question in QUESTIONS:
        start = time.perf_counter()
        embedder.embed_query(question)
        seconds.append(time.perf_counter() - start)
print(statistics.median(seconds), statistics.quantiles(seconds, n=20)[18])
"""


def spin() -> None:
    while True:
        pass


def timed(policy: str, rounds: int) -> str:
    env = {**os.environ, "OMP_WAIT_POLICY": policy}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(rounds)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    p50, p95 = (float(v) * 1000 for v in out)
    return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"


def main(argv: list[str]) -> None:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 3
    print("| machine | OMP_WAIT_POLICY | query embedding |\n|---|---|---|")
    for policy in ("ACTIVE", "PASSIVE"):
        print(f"| as found | {policy} | {timed(policy, rounds)} |", flush=True)
    busy = [multiprocessing.Process(target=spin, daemon=True) for _ in range(os.cpu_count() or 2)]
    for process in busy:
        process.start()
    try:
        for policy in ("ACTIVE", "PASSIVE"):
            print(
                f"| + one busy process per core | {policy} | {timed(policy, rounds)} |", flush=True
            )
    finally:
        for process in busy:
            process.terminate()


if __name__ == "__main__":
    main(sys.argv[1:])
