"""What the Claims tab's pictures add to opening the tab (issue 35, point 2).

    python bench/pictures.py DATA_DIR [--repeat 5] [--runs 5] [--baseline REF]

DATA_DIR is a kept index, e.g. bench/out/scale/index-10k (`bench/scale.py --sizes 10000
--build-only`). Measured in one run, on copies of it (no two processes open one Chroma folder):
- in process, median of --repeat calls: what the server computes for the tab, unfiltered
  and filtered by its most frequent speaker: the table (`render_claims`, the baseline) and
  the two pictures (`render_pictures`, then each chart's JSON as `gr.Plot` sends it);
- in Chromium (Debian's) against `python -m bot serve`, median of --runs fresh page loads,
  alternating between this tree and the tree of git REF (default: the commit before the
  pictures, run from a `git archive` of it, same index and venv): the page load (until the
  header shows), and from the click on the Claims tab until the table shows and, here,
  until every mark of both pictures is drawn.
Prints Markdown.
"""

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.chain import Bot  # noqa: E402
from bot.web.claims_view import ALL, render_claims, render_pictures  # noqa: E402
from index.embed import LocalEmbedder  # noqa: E402
from index.settings import Settings  # noqa: E402
from tests.chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

BEFORE_PICTURES = "f7f78cc"  # main when the pictures branched off
MARKS = "g.mark-symbol.role-mark path"


def median_ms(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def server_side(data_dir: Path, repeat: int) -> str:
    """The table against the pictures with their JSON, as the page's events compute them."""
    bot = Bot(Settings(data_dir=data_dir), LocalEmbedder())
    speakers: dict[str, int] = {}
    for t in bot.ledger:
        speakers[t.speaker] = speakers.get(t.speaker, 0) + 1
    top = max(speakers, key=lambda s: speakers[s])

    def pictures(who: str) -> None:
        for chart in render_pictures(bot, who, ALL):
            if chart is not None:
                chart.to_json()  # what gr.Plot's postprocess sends

    rows = [f"{len(bot.ledger):,} tracked claims; top speaker {top!r} has {speakers[top]}.\n"]
    rows.append("| filter | table ms | pictures ms (built + JSON) | JSON KiB |")
    rows.append("|---|---|---|---|")
    for label, who in (("(all)", ALL), ("top speaker", top)):
        table = median_ms(lambda who=who: render_claims(bot, who, ALL), repeat)
        drawn = median_ms(lambda who=who: pictures(who), repeat)
        size = sum(len(c.to_json()) for c in render_pictures(bot, who, ALL) if c is not None)
        rows.append(f"| {label} | {table:.1f} | {drawn:.1f} | {size / 1024:.0f} |")
    return "\n".join(rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(tree: Path, data_dir: Path) -> Iterator[str]:
    """`python -m bot serve` run from `tree` over a copy of the index; its URL."""
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMBOT_"))}
        env["GRADIO_ANALYTICS_ENABLED"] = "False"
        command = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
        process = subprocess.Popen(
            [*command, "--data-dir", str(copy)],
            cwd=tree,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.TransportError):
                    reply = httpx.get(url + "/healthz", timeout=5)
                    if reply.status_code == 200 and reply.json().get("page") == "ready":
                        break
                time.sleep(0.1)  # polling a server that is starting
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def open_tab(browser: Any, url: str, pictures: bool) -> tuple[float, float, float]:
    """Seconds for the page load, then from the click on Claims to the table and (when the
    tree has them) to both pictures' marks."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.locator("#status").wait_for()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    page.get_by_role("tab", name="Claims").click()
    page.locator("#claims table").wait_for()
    table = time.perf_counter() - started
    drawn = 0.0
    if pictures:
        for picture in ("#claims-timeline", "#claims-grid"):
            page.locator(f"{picture} {MARKS}").first.wait_for(state="attached", timeout=120_000)
        drawn = time.perf_counter() - started
    context.close()
    return loaded, table, drawn


def baseline_tree(ref: str, into: Path) -> Path:
    """The tree of `ref` (bot/, index/, prompts/), to serve the tab as it was."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        command = ["git", "archive", ref, "bot", "index", "prompts"]
        subprocess.run(command, cwd=REPO, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def in_browser(data_dir: Path, ref: str, runs: int) -> str:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[tuple[float, float, float]]] = {"before": [], "pictures": []}
    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(baseline_tree(ref, Path(tmp)), data_dir) as before,
        serving(REPO, data_dir) as now,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        open_tab(browser, before, False)  # warm: the first load of each server is not timed
        open_tab(browser, now, True)
        for _ in range(runs):  # alternating, so both see the same load from other work
            figures["before"].append(open_tab(browser, before, False))
            figures["pictures"].append(open_tab(browser, now, True))
        browser.close()
    rows = [f"Median (interquartile range) of {runs} page loads each, in seconds.\n"]
    rows.append("| server | page load | click to table | click to both pictures drawn |")
    rows.append("|---|---|---|---|")
    labels = {"before": f"before ({ref})", "pictures": "with pictures"}
    for key, measured in figures.items():
        label = labels[key]
        load, table, drawn = (spread([r[i] for r in measured]) for i in range(3))
        rows.append(f"| {label} | {load} | {table} | {drawn if key == 'pictures' else '-'} |")
    return "\n".join(rows)


def spread(seconds: list[float]) -> str:
    """Median, and the middle half of the runs in brackets."""
    q1, q2, q3 = statistics.quantiles(seconds, n=4)
    return f"{q2:.2f} ({q1:.2f}-{q3:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default=BEFORE_PICTURES)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(args.data_dir, copy)
        print(server_side(copy, args.repeat), "\n")
    print(in_browser(args.data_dir, args.baseline, args.runs))
    print(f"\n1-minute load average {load:.1f} before, {os.getloadavg()[0]:.1f} after.")


if __name__ == "__main__":
    main()
