"""Answer quality on the development sets: retrieval, abstention, citations, latency.

    python bench/quality.py measure [--archive] [--limit N]
    python bench/quality.py calibrate [--limit N]

Every corpus goes through the real ingest (bench/devsets.py, cached), every question
through the real `Bot` in evidence mode. Per set: R@1, R@5, MRR@10 of our retrieval next
to plain e5-small, plain BM25 and equal-weight RRF over the same chunks in the same run;
the share of answerable questions refused (false abstention), the share of unanswerable
questions refused, the share of answered questions whose citations include the gold
passage, the mean number of quotes, and p50/p95 of `Bot.ask`.

`--archive` asks the same questions of one index that holds every development passage
among the 3,463 real IndoSum articles, and counts how many decisions (answer or refuse)
and first citations stay as they were in each question's own corpus.

`calibrate` fits the support model of bot/decide.py: a logistic regression per question
language of "this retrieved passage is the gold one" on its three signals, over the
answerable and unanswerable questions of every set (sets and classes weighted equally),
then the lowest threshold that keeps false abstention at or under 5 % on every set. It
prints the fitted models as Settings values and the error rates at that operating point.
"""

import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CORPORA, Question, build_index, passage_key, questions

from bot.chain import Bot
from index.chunk import searchable_text
from index.embed import LocalEmbedder
from index.metadata import detect_language

DEPTH = 50
TARGET_FALSE_ABSTENTION = 0.05
_WORD = re.compile(r"\w+")


@dataclass
class Result:
    """One question's outcome under every retriever, and our answer."""

    question: Question
    gold: str  # passage key, "" for an unanswerable question
    rankings: dict[str, list[str]] = field(default_factory=dict)
    found: bool = False
    cited: list[str] = field(default_factory=list)
    seconds: float = 0.0


def passages_of(sources: Sequence[str], limit: int = 10) -> list[str]:
    """A chunk ranking (by source file) as a ranking of distinct passages."""
    return list(dict.fromkeys(passage_key(s) for s in sources))[:limit]


def rrf(*rankings: list[str], k: int = 60) -> list[str]:
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] += 1.0 / (k + rank + 1)
    return sorted(fused, key=lambda i: -fused[i])


class Baselines:
    """Plain BM25 (`\\w+` lower-case), plain dense and equal-weight RRF over one store."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        chunks = bot.store.chunks()
        self.sources = {c.id: c.meta["source"] for c in chunks}
        self.ids = [c.id for c in chunks]
        self.bm25 = bm25s.BM25()
        self.bm25.index(
            [[w.lower() for w in _WORD.findall(c.text)] for c in chunks], show_progress=False
        )

    def rank(self, question: str) -> dict[str, list[str]]:
        words = [w.lower() for w in _WORD.findall(question)]
        words = [w for w in words if w in self.bm25.vocab_dict]
        lexical: list[str] = []
        if words:
            scores = np.asarray(self.bm25.get_scores(words))
            top = np.argsort(-scores)[:DEPTH]
            lexical = [self.ids[i] for i in top if scores[i] > 0]
        vector = self.bot.embedder.embed_query(question)
        dense = [i for i, _ in self.bot.store.search(vector, DEPTH)]
        return {
            "e5": passages_of([self.sources[i] for i in dense]),
            "bm25": passages_of([self.sources[i] for i in lexical]),
            "rrf": passages_of([self.sources[i] for i in rrf(dense, lexical)]),
        }


def gold_key(corpus: str, question: Question) -> str:
    return f"{corpus}/{question.gold}" if question.gold else ""


def sample(found: list[Question], limit: int | None) -> list[Question]:
    """At most `limit` questions per set, drawn with a fixed seed."""
    if limit is None:
        return found
    by_set: dict[str, list[Question]] = defaultdict(list)
    for q in found:
        by_set[q.set].append(q)
    rng = random.Random(7)
    return [q for qs in by_set.values() for q in (rng.sample(qs, limit) if len(qs) > limit else qs)]


def run_set(bot: Bot, corpus: str, found: list[Question], baselines: bool) -> list[Result]:
    """Ask every question of the real Bot (and the baselines), one result each."""
    plain = Baselines(bot) if baselines else None
    bot.ask("warm up")
    results = []
    for q in found:
        result = Result(q, gold_key(corpus, q))
        started = time.perf_counter()
        answer = bot.ask(q.text)
        result.seconds = time.perf_counter() - started
        result.found = answer.found
        result.cited = passages_of([c.source for c in answer.citations])
        result.rankings["ours"] = passages_of([r["source"] for r in answer.retrieved])
        if plain is not None:
            result.rankings.update(plain.rank(q.text))
        results.append(result)
    return results


def recall(results: list[Result], name: str) -> tuple[float, float, float]:
    rows = [(r.rankings[name], r.gold) for r in results if r.gold]
    r1 = statistics.mean(g in r[:1] for r, g in rows)
    r5 = statistics.mean(g in r[:5] for r, g in rows)
    mrr = statistics.mean(1 / (r.index(g) + 1) if g in r[:10] else 0.0 for r, g in rows)
    return r1, r5, mrr


def share(values: list[bool]) -> str:
    return f"{statistics.mean(values):.3f}" if values else "–"


def report(results: list[Result], title: str) -> None:
    """One Markdown table of retrieval per set, one of decisions and citations per set."""
    by_set: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_set[r.question.set].append(r)
    print(f"#### {title}\n")
    print("| set | questions | retriever | R@1 | R@5 | MRR@10 |\n|---|---|---|---|---|---|")
    for name, rows in by_set.items():
        for retriever in ("e5", "bm25", "rrf", "ours"):
            if any(r.gold for r in rows) and retriever in rows[0].rankings:
                r1, r5, mrr = recall(rows, retriever)
                print(
                    f"| {name} | {sum(bool(r.gold) for r in rows)} | {retriever} "
                    f"| {r1:.3f} | {r5:.3f} | {mrr:.3f} |"
                )
    print()
    print(
        "| set | answerable | unanswerable | false abstention | unanswerable refused "
        "| gold cited (answered) | quotes per answer | p50 ms | p95 ms |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    for name, rows in by_set.items():
        answerable = [r for r in rows if r.gold]
        other = [r for r in rows if not r.gold]
        answered = [r for r in answerable if r.found]
        quotes = [len(r.cited) for r in rows if r.found]
        ms = [r.seconds * 1000 for r in rows]
        print(
            f"| {name} | {len(answerable)} | {len(other)} "
            f"| {share([not r.found for r in answerable])} | {share([not r.found for r in other])} "
            f"| {share([r.gold in r.cited for r in answered])} "
            f"| {statistics.mean(quotes) if quotes else 0:.2f} "
            f"| {np.percentile(ms, 50):.0f} | {np.percentile(ms, 95):.0f} |"
        )
    print()


def compare(alone: list[Result], archive: list[Result]) -> None:
    """How many decisions and first citations the archive leaves as they were."""
    print(
        "| set | questions | same decision | answered alone, refused in archive "
        "| refused alone, answered in archive | same first citation (answered in both) |\n"
        "|---|---|---|---|---|---|"
    )
    by_set: dict[str, list[tuple[Result, Result]]] = defaultdict(list)
    for a, b in zip(alone, archive, strict=True):
        by_set[a.question.set].append((a, b))
    for name, pairs in by_set.items():
        both = [(a, b) for a, b in pairs if a.found and b.found]
        print(
            f"| {name} | {len(pairs)} | {share([a.found == b.found for a, b in pairs])} "
            f"| {sum(a.found and not b.found for a, b in pairs)} "
            f"| {sum(b.found and not a.found for a, b in pairs)} "
            f"| {share([a.cited[:1] == b.cited[:1] for a, b in both])} |"
        )
    print()


def measure(limit: int | None, archive: bool) -> None:
    embedder = LocalEmbedder()
    alone: list[Result] = []
    asked: list[tuple[str, list[Question]]] = []
    for corpus in CORPORA:
        found = sample(questions(corpus), limit)
        asked.append((corpus, found))
        bot = Bot(build_index(corpus, embedder), embedder)
        alone += run_set(bot, corpus, found, baselines=True)
    report(alone, "Each set over its own corpus")
    if archive:
        bot = Bot(build_index("archive", embedder), embedder)
        print(f"Archive: {bot.corpus.articles} articles, {bot.store.count()} chunks\n")
        inside = [r for corpus, found in asked for r in run_set(bot, corpus, found, True)]
        report(inside, "The same questions over the archive (all sets among IndoSum)")
        compare(alone, inside)


@dataclass
class Sample:
    """One retrieved passage of one question: its signals and whether it is the gold one."""

    set: str
    language: str
    question: int
    answerable: bool
    gold: bool
    values: list[float]


def collect(limit: int | None, more: Callable[..., list[float]] | None = None) -> list[Sample]:
    """Signals of every retrieved passage of every development question; `more(terms,
    question, passage text, language)` adds signals to try (bench/abstain.py)."""
    from bot.decide import question_terms, signals  # here: `measure` also runs on older code
    from bot.retrieve import LANGUAGES

    embedder = LocalEmbedder()
    samples: list[Sample] = []
    n = 0
    for corpus in CORPORA:
        bot = Bot(build_index(corpus, embedder), embedder)
        for q in sample(questions(corpus), limit):
            n += 1
            language = detect_language(q.text, LANGUAGES)  # as the Bot decides it
            docs, _ = bot.retriever.retrieve_with_vector(q.text, language)
            terms = question_terms(q.text)
            gold = gold_key(corpus, q)
            for d in docs:
                values = signals(terms, d.page_content, d.metadata["relevance"])
                if more is not None:
                    values += more(terms, q.text, searchable_text(d.page_content), language)
                is_gold = passage_key(d.metadata["source"]) == gold
                samples.append(Sample(q.set, language, n, bool(gold), is_gold, values))
    return samples


def fit(samples: list[Sample]) -> np.ndarray:
    """Weighted logistic regression (Newton steps) of `gold` on the signals."""
    x = np.array([[1.0, *s.values] for s in samples])
    y = np.array([s.gold for s in samples], dtype=float)
    counts: dict[tuple[str, bool], int] = defaultdict(int)
    for s in samples:
        counts[(s.set, s.gold)] += 1
    w = np.array([1.0 / counts[(s.set, s.gold)] for s in samples])
    w /= w.mean()
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ beta))
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + 1e-3 * np.eye(len(beta))
        beta += np.linalg.solve(hessian, x.T @ (w * (y - p)))
    return beta


def operating_point(samples: list[Sample], beta: np.ndarray) -> tuple[float, dict[str, str]]:
    """The highest threshold with false abstention <= 5 % on every set, and the rates."""
    best: dict[int, float] = defaultdict(lambda: -1e9)
    kind: dict[int, tuple[str, bool]] = {}
    for s in samples:
        best[s.question] = max(best[s.question], float(beta @ [1.0, *s.values]))
        kind[s.question] = (s.set, s.answerable)
    by_set: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for n, score in best.items():
        by_set[kind[n][0]].append((score, kind[n][1]))
    threshold = min(
        float(np.quantile([v for v, a in rows if a], TARGET_FALSE_ABSTENTION, method="lower"))
        for rows in by_set.values()
        if any(a for _, a in rows)
    )
    rates = {}
    for name, rows in by_set.items():
        fa = [v < threshold for v, a in rows if a]
        refused = [v < threshold for v, a in rows if not a]
        rates[name] = f"false abstention {share(fa)}, unanswerable refused {share(refused)}"
    return threshold, rates


def calibrate(limit: int | None) -> None:
    from index.settings import SupportModel

    samples = collect(limit)
    print("| language | bias | relevance | anchors | words | threshold | per set |")
    print("|---|---|---|---|---|---|---|")
    models = {}
    for language in ("id", "en"):
        mine = [s for s in samples if s.language == language]
        beta = fit(mine)
        threshold, rates = operating_point(mine, beta)
        b = [round(float(v), 2) for v in beta]
        rounded = round(threshold - 0.005, 2)  # rounded down: never above the fitted one
        models[language] = SupportModel(bias=b[0], weights=(b[1], b[2], b[3]), threshold=rounded)
        print(
            f"| {language} | {b[0]} | {b[1]} | {b[2]} | {b[3]} | {threshold:.2f} "
            f"| {'; '.join(f'{k}: {v}' for k, v in rates.items())} |"
        )
    print()
    for language, model in models.items():
        print(f'    "{language}": {model!r},')
    print()
    quote_margins(samples, models)


def quote_margins(samples: list[Sample], models: dict[str, Any]) -> None:
    """Per quote margin: how often an answered question's quotes hold the gold passage."""
    by_question: dict[int, list[tuple[float, Sample]]] = defaultdict(list)
    for s in samples:
        m = models[s.language]
        by_question[s.question].append((m.bias + float(np.dot(m.weights, s.values)), s))
    print("| quote margin | " + " | ".join(sorted({s.set for s in samples})) + " |")
    print("|---|" + "---|" * len({s.set for s in samples}))
    for margin in (0.5, 1.0, 1.5, 2.0, 3.0):
        cells: dict[str, list[tuple[bool, int]]] = defaultdict(list)
        for scored in by_question.values():
            scored.sort(key=lambda pair: -pair[0])
            best, first = scored[0]
            threshold = models[first.language].threshold
            if not first.answerable or best < threshold:
                continue
            quoted = [s for v, s in scored if v >= max(threshold, best - margin)][:4]
            cells[first.set].append((any(s.gold for s in quoted), len(quoted)))
        row = [
            f"{np.mean([g for g, _ in v]):.3f} cited, {np.mean([n for _, n in v]):.2f} quotes"
            for _, v in sorted(cells.items())
        ]
        print(f"| {margin} | " + " | ".join(row) + " |")
    print()


def main(argv: list[str]) -> None:
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    if "calibrate" in argv:
        calibrate(limit)
    else:
        measure(limit, "--archive" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
