"""The seeds end to end, as a new user meets them, with each embedder.

    python bench/seeds.py [--embedder SPEC ...]

Indexes seeds/ (cached per embedder) and asks the questions issue 34 lists, the page's
examples and a follow-up, printing for each: answered or refused, the answer's first line
and the first cited passage; then the warm p50/p95 of `Bot.ask` with the embedder itself
(no vector cache: each question is embedded as a user's would be), three rounds.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CACHE, make, slug

from bot.chain import Bot
from bot.web.page import EXAMPLES
from index.ingest import ingest_paths
from index.settings import Settings

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What did Trump say about NATO?",
    "What did Stoltenberg say about Taiwan?",
    "How many Leopard tanks did Poland send?",
    "What did Kishida tell Stoltenberg in Tokyo?",
    "Where did Stoltenberg speak in Prague?",
    "Who denied the accusations, and what did they say?",
    *EXAMPLES,
]
FOLLOW_UP = (
    "How much of the military support to Ukraine comes from NATO allies?",
    "Who denied what?",
)


def main(argv: list[str]) -> None:
    specs = [argv[i + 1] for i, a in enumerate(argv) if a == "--embedder"] or ["e5"]
    for spec in specs:
        label, embedder, overrides = make(spec)
        settings = Settings(data_dir=CACHE / slug(embedder.name) / "seeds", **overrides)  # type: ignore[arg-type]
        ingest_paths(settings, [REPO / "seeds"], embedder)
        bot = Bot(settings, embedder)
        print(f"#### {label}\n\n| question | answered | first line | first citation |")
        print("|---|---|---|---|")
        for question in QUESTIONS:
            row(question, bot.ask(question))
        first, then = FOLLOW_UP
        answer = bot.ask(then, [first])
        row(f"{then} (after: {first})", answer)
        print()
        warm(Bot(settings, embedder.inner), label)


def warm(bot: Bot, label: str) -> None:
    bot.ask(QUESTIONS[0])  # the first call loads what is loaded once
    seconds = []
    for _ in range(3):
        for question in QUESTIONS:
            start = time.perf_counter()
            bot.ask(question)
            seconds.append(time.perf_counter() - start)
    cuts = statistics.quantiles(seconds, n=20)
    print(
        f"warm ask, {label}, {len(seconds)} calls: p50 {cuts[9] * 1000:.0f} ms, "
        f"p95 {cuts[18] * 1000:.0f} ms\n"
    )


def row(question: str, answer: object) -> None:
    from bot.answer import Answer

    assert isinstance(answer, Answer)
    line = answer.answer.splitlines()[0][:110].replace("|", "/")
    cited = answer.citations[0].quote[:90].replace("|", "/") if answer.citations else ""
    print(f"| {question} | {'yes' if answer.found else 'no'} | {line} | {cited} |")


if __name__ == "__main__":
    main(sys.argv[1:])
