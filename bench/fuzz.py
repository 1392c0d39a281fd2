"""The fuzz inputs of tests/index/test_fuzz.py, run longer, with the worst file (issue 33).

    python bench/fuzz.py [--examples N]    (N per format, default 500)

Each input is read as ingest reads it (tests/fuzz_inputs.py), in a forked child of this
process so that its time and memory are its own: the child's peak resident memory over
what it started with. Prints how many inputs ran per format, how many parsed and how many
were skipped with a reason, any other exception (a bug), and the slowest and the largest
file, for BENCHMARKS.md.
"""

import argparse
import os
import pickle
import platform
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as run_with  # noqa: E402

from index.metadata import detect_language  # noqa: E402
from index.settings import Settings  # noqa: E402
from tests.fuzz_inputs import FORMATS, SAMPLES, inputs, read_as_ingest  # noqa: E402


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def in_child(suffix: str, data: bytes) -> dict[str, object]:
    """Read one input in a forked child; its outcome, seconds and extra peak memory."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read the file, report, leave at once
        os.close(read)
        start_kb = status_kb("VmRSS")
        started = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory() as folder:
                settings = Settings(data_dir=Path(folder) / "data")
                reasons = read_as_ingest(Path(folder), suffix, data, settings)
            outcome = {"skipped": len(reasons), "bad": [r for r in reasons if "\n" in r or not r]}
        except BaseException:  # a bug: what escaped
            outcome = {"error": traceback.format_exc(limit=3)}
        outcome["seconds"] = time.perf_counter() - started
        outcome["mb"] = (status_kb("VmHWM") - start_kb) / 1024
        with os.fdopen(write, "wb") as out:
            pickle.dump(outcome, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as result:
        payload = result.read()
    os.waitpid(pid, 0)
    return pickle.loads(payload) if payload else {"error": "the child died", "seconds": 0, "mb": 0}


def run(suffix: str, examples: int) -> dict[str, object]:
    seen: list[dict[str, object]] = []
    sizes: list[int] = []

    @run_with(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=inputs(suffix))
    def each(data: bytes) -> None:
        seen.append(in_child(suffix, data))
        sizes.append(len(data))

    each()
    errors = [s["error"] for s in seen if "error" in s]
    return {
        "inputs": len(seen),
        "parsed": sum(1 for s in seen if s.get("skipped") == 0),
        "skipped": sum(1 for s in seen if s.get("skipped")),
        "errors": errors,
        "bad_reasons": sum(len(s.get("bad", [])) for s in seen),  # type: ignore[arg-type]
        "worst_s": max(float(s["seconds"]) for s in seen),  # type: ignore[arg-type]
        "worst_mb": max(float(s["mb"]) for s in seen),  # type: ignore[arg-type]
        "largest_kb": max(sizes) / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=500, help="inputs per format")
    args = parser.parse_args()
    detect_language("Menteri itu mengatakan bahwa rapat ditunda")  # loaded once, shared
    print(
        f"{date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"`python bench/fuzz.py --examples {args.examples}`\n"
    )
    print(
        "| format | inputs | parsed | skipped with a reason | other exceptions | "
        "worst s per file | worst MiB per file | largest input kB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    total = 0
    for suffix in FORMATS:
        row = run(suffix, args.examples)
        total += int(row["inputs"])  # type: ignore[call-overload]
        print(
            f"| {suffix} | {row['inputs']} | {row['parsed']} | {row['skipped']} | "
            f"{len(row['errors'])} | {row['worst_s']:.2f} | {row['worst_mb']:.0f} | "  # type: ignore[arg-type]
            f"{row['largest_kb']:.1f} |",
            flush=True,
        )
        for error in row["errors"][:3]:  # type: ignore[index]
            print(f"\n```\n{error}\n```\n")
    print(f"\n{total} inputs in all; samples mutated: {', '.join(SAMPLES)}")


if __name__ == "__main__":
    main()
