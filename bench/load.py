"""Many users: the load test's run, measured and printed as a Markdown row.

    python bench/load.py            (CLAIMBOT_LOAD_SECONDS=N for a shorter run; default 60)

Runs tests/bot/test_load.py (20 chat sessions on one app on loopback, 12 articles uploaded
during the run) with CLAIMBOT_LOAD_REPORT set, so the figures are those of the test itself;
prints them as a table to paste into BENCHMARKS.md. Exits with the test's status.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HEADER = (
    "| sessions | duration | requests | errors | p50 ms | p95 ms | max ms | uploads "
    "| articles before → after | chunks before → after | claims before → after |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def markdown_row(report: dict[str, Any]) -> str:
    cells = [
        report["sessions"],
        f"{report['seconds']:.0f} s",
        report["requests"],
        report["errors"],
        report["p50_ms"],
        report["p95_ms"],
        report["max_ms"],
        f"{report['uploads']}/{report['upload_files']}",
        f"{report['articles_before']} → {report['articles_after']}",
        f"{report['chunks_before']} → {report['chunks_after']}",
        f"{report['claims_before']} → {report['claims_after']}",
    ]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "load.json"
        started = time.monotonic()
        load_before = os.getloadavg()[0]
        test = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/bot/test_load.py", "-q", "-s"],
            cwd=REPO,
            env={**os.environ, "CLAIMBOT_LOAD_REPORT": str(path)},
            check=False,
        )
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()[0]
        if not path.exists():
            print("The load test wrote no report; see its output above.", file=sys.stderr)
            return test.returncode or 1
        report = json.loads(path.read_text(encoding="utf-8"))
    print(
        f"\n{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"test {'passed' if test.returncode == 0 else 'FAILED'} in {elapsed:.0f} s; "
        # the load generator shares the machine with the server (and with anything else)
        f"load average {load_before:.1f} before, {load_after:.1f} after\n"
    )
    print(HEADER)
    print(markdown_row(report))
    print(
        f"\nuploads: p95 {report['upload_p95_ms']} ms each (ingest + reload + claims refresh), "
        f"{report['passages_uploaded']} passages; fewest requests in one session: "
        f"{report['fewest_per_session']}"
    )
    if report["error_samples"]:
        print("errors:", *report["error_samples"], sep="\n  ")
    return test.returncode


if __name__ == "__main__":
    sys.exit(main())
