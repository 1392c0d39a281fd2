"""Benchmarks for the ask path, measured in one run on this machine.

    python bench/run.py [ingest] [latency] [browser]      (default: all)

- ingest:  ingest throughput (chunks/s) next to the raw embedder's throughput on the same texts
- latency: warm `ask` latency in evidence mode on the seeds, p50/p95
- browser: time from pressing Enter to the first answer text in Chromium, evidence mode,
           warm, next to the in-process `ask` time for the same questions
Retrieval and answer quality on the development sets (FacQA included) is bench/quality.py.

Prints Markdown to paste into BENCHMARKS.md.
"""

import platform
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from bot.chain import Bot
from index.chunk import searchable_text
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.metadata import detect_language
from index.parse import parse_file
from index.settings import Settings

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.app_process, the app launcher the tests use
QUESTIONS = [
    "What did Stoltenberg ask of Korea?",
    "Apa yang diminta Stoltenberg dari Korea Selatan?",
    "Does North Korea supply weapons to Russia?",
    "What did NATO say about Indo-Pacific partners?",
    "Who is Kwon Jong-gun?",
    "Why does South Korea not export weapons to Ukraine?",
    "What did Germany and Norway change?",
    "How much of the military support to Ukraine comes from NATO allies?",
    "What is the capital of Peru?",
    "Siapa yang membantah tudingan tersebut?",
    "Mengapa Korea Selatan tidak mengekspor senjata ke Ukraina?",
    "Kapan Putin memerintahkan invasi ke Ukraina?",
    "Berapa persen dukungan militer untuk Ukraina yang berasal dari sekutu NATO?",
    "Siapa Kwon Jong-gun?",
]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def bench_ingest(workdir: Path, copies: int = 30) -> None:
    """Seeds copied `copies` times (each copy edited so it is new) through the real ingest.

    The raw embedder gets exactly the texts ingest embeds (every chunk, plus each claim
    sentence that is not a whole chunk) in one call, before and after the ingest, so
    machine noise shows; rates are chunks per second in every row.
    """
    corpus = workdir / "ingest-corpus"
    corpus.mkdir()
    for i in range(copies):
        for seed in sorted((REPO / "seeds").glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\nSalinan nomor {i} dari artikel ini."
            (corpus / f"{i:03d}_{seed.name}").write_text(text, encoding="utf-8")
    settings = Settings(data_dir=workdir / "ingest-data")
    embedder = LocalEmbedder()
    embedder.embed_query("warm up")
    chunk_texts: list[str] = []
    all_texts: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        parsed = parse_file(settings, path, None)
        chunk_texts += [searchable_text(c.text) for c in parsed.chunks]
        all_texts += parsed.texts()

    def raw_rate(texts: list[str]) -> float:
        started = time.perf_counter()
        embedder.embed_passages(texts)
        return len(chunk_texts) / (time.perf_counter() - started)

    before = raw_rate(all_texts)
    report = ingest_paths(settings, [corpus], embedder)
    ingest_rate = report.chunks_written / report.seconds
    after = raw_rate(all_texts)
    chunks_only = raw_rate(chunk_texts)
    raw = (before + after) / 2
    print("### Ingest throughput\n")
    print(
        f"{copies} copies of the 3 seeds: {len(chunk_texts)} chunks; ingest also embeds "
        f"{len(all_texts) - len(chunk_texts)} claim sentences that are not whole chunks. "
        "`python bench/run.py ingest`\n"
    )
    print("| | chunks/s | ratio to raw |\n|---|---|---|")
    print(
        f"| raw embedder, the same texts ingest embeds, one call (mean of before {before:.1f} "
        f"and after {after:.1f}) | {raw:.1f} | 1.00 |"
    )
    print(
        f"| full ingest (find, read, clean, chunk, claims, embed, store; "
        f"{settings.embed_batch}-chunk batches) | {ingest_rate:.1f} | {ingest_rate / raw:.2f} |"
    )
    print(
        f"| for reference: raw embedder on the chunk texts alone | {chunks_only:.1f} | "
        f"{chunks_only / raw:.2f} |\n"
    )


def bench_latency(workdir: Path, rounds: int = 10) -> None:
    settings = Settings(data_dir=workdir / "latency-data")
    embedder = LocalEmbedder()
    ingest_paths(settings, [REPO / "seeds"], embedder)
    bot = Bot(settings, embedder)
    for question in QUESTIONS:  # warm: model loaded, caches filled
        bot.ask(question)
    timings: dict[str, list[float]] = {"en": [], "id": []}
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            bot.ask(question)
            language = detect_language(question, ("en", "id"))
            timings[language].append((time.perf_counter() - started) * 1000)
    print("### Warm `ask` latency, evidence mode, seeds\n")
    print(f"{len(QUESTIONS)} questions x {rounds} rounds after one warm-up round, in process\n")
    print("| questions | asked | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    rows = {**timings, "all": timings["en"] + timings["id"]}
    for name, values in rows.items():
        print(
            f"| {name} | {len(values)} | {percentile(values, 50):.1f} "
            f"| {percentile(values, 95):.1f} | {max(values):.1f} |"
        )
    print()


def bench_browser(workdir: Path, rounds: int = 3) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.app_process import running_app
    from tests.chromium import CHROMIUM, CHROMIUM_FLAGS

    settings = Settings(data_dir=workdir / "browser-data")
    embedder = LocalEmbedder()
    ingest_paths(settings, [REPO / "seeds"], embedder)
    bot = Bot(settings, embedder)
    bot.ask(QUESTIONS[0])
    in_process: list[float] = []
    in_browser: list[float] = []
    with running_app(settings.data_dir) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
        )
        page = browser.new_page()
        page.goto(url)
        box = page.locator("#question textarea")
        replies = page.locator("#chat [data-testid='bot']")
        asked = 0
        for round_ in range(rounds + 1):  # round 0 warms the page and the server
            for question in QUESTIONS:
                box.fill(question)
                started = time.perf_counter()
                box.press("Enter")
                asked += 1
                expect(replies.nth(asked - 1)).to_contain_text(
                    re.compile("Quoting the sources|Mengutip sumber|do not answer|tidak menjawab"),
                    timeout=60_000,
                )
                elapsed = (time.perf_counter() - started) * 1000
                if round_:
                    in_browser.append(elapsed)
                    started = time.perf_counter()
                    bot.ask(question)
                    in_process.append((time.perf_counter() - started) * 1000)
            page.reload()  # a fresh chat keeps the page small, as a new visitor's is
            asked = 0
        browser.close()
    print("### Time to first answer text in the browser, evidence mode, warm\n")
    print(
        f"{len(QUESTIONS)} questions x {rounds} rounds after a warm-up round; Enter pressed "
        "in Chromium until the answer text is on the page; the app on loopback\n"
    )
    print("| | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    for label, values in (
        ("in-process `ask` (baseline)", in_process),
        ("browser: Enter to first answer text", in_browser),
    ):
        print(
            f"| {label} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} | "
            f"{max(values):.0f} |"
        )
    print()


def main() -> None:
    wanted = set(sys.argv[1:]) or {"ingest", "latency", "browser"}
    workdir = Path(tempfile.mkdtemp(prefix="claimbot-bench-"))
    print(
        f"## Run of {date.today()} on {platform.node()} ({platform.machine()}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()})\n"
    )
    try:
        if "ingest" in wanted:
            bench_ingest(workdir)
        if "latency" in wanted:
            bench_latency(workdir)
        if "browser" in wanted:
            bench_browser(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
