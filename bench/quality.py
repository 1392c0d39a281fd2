"""Answer quality on the development sets, per embedder: retrieval, abstention, citations.

    python bench/quality.py measure [--embedder SPEC ...] [--archive] [--limit N]
    python bench/quality.py calibrate --embedder SPEC [--limit N]

An embedder SPEC is `e5` (the bundled multilingual-e5-small) or `NAME=URL` (a model behind
an OpenAI-compatible /v1/embeddings, e.g. `embeddinggemma=http://127.0.0.1:8091/v1`; its
prompts come from index/embed.py's MODEL_PROMPTS). Every corpus goes through the real
ingest (bench/devsets.py, cached per embedder), every question through the real `Bot` in
evidence mode.

`measure`, side by side in one run, per set: R@1, R@5, MRR@10 of plain BM25 and, for each
embedder, plain dense retrieval, equal-weight RRF and the product; false abstention,
unanswerable refused, gold cited, quotes, p50/p95 of `Bot.ask`; ingest seconds per chunk.
`--archive` asks the same questions of one index holding every development passage among
1,600 IndoSum articles (`archive1600`), and then asks "not in the archive" questions there:

- gold out: each answerable question with its gold passage and every other passage that
  holds its answer's text taken out of what retrieval returns;
- absent: questions about people, events and details the archive does not hold
  (bench/absent_questions.jsonl, written for this set; see bench/absent_guide.md).

A "not in the archive" question is handled when it is refused, or answered with a first
sentence that says what the articles lack (`Answer.lacking`); it fails when quotes lead.

`calibrate` fits the support model of bot/decide.py for one embedder: a logistic
regression per question language of "this retrieved passage is the gold one" on its three
signals, over the archive's answerable questions (positives) and its unanswerable, gold-out
and absent questions (sets and classes weighted equally), then the lowest threshold that
keeps false abstention at or under 5 % on every set. It prints the fitted models as JSON
for index/calibrations.json and the error rates at that operating point.
"""

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import (
    CORPORA,
    Question,
    build_index,
    cache_of,
    corpus,
    make,
    passage_key,
    questions,
)

from bot.answer import Answer
from bot.chain import Bot
from bot.decide import question_terms, signals
from bot.retrieve import LANGUAGES
from index.chunk import searchable_text
from index.embed import Embedder
from index.metadata import detect_language
from index.settings import Settings

DEPTH = 50
ARCHIVE = "archive1600"  # every development passage among 1,600 IndoSum articles (devsets.py)
TARGET_FALSE_ABSTENTION = 0.05
ABSENT = Path(__file__).resolve().parent / "absent_questions.jsonl"
_WORD = re.compile(r"\w+")


@dataclass
class Result:
    """One question's outcome under every retriever, and our answer."""

    question: Question
    gold: str  # passage key, "" for an unanswerable question
    rankings: dict[str, list[str]] = field(default_factory=dict)
    found: bool = False
    lacking: bool = False  # the answer's first sentence says what the articles lack
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

    def __init__(self, bot: Bot, label: str) -> None:
        self.bot, self.label = bot, label
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
        vector = self.bot.embedder.embed_query(searchable_text(question))
        dense = [i for i, _ in self.bot.store.search(vector, DEPTH)]
        return {
            f"{self.label}": passages_of([self.sources[i] for i in dense]),
            "bm25": passages_of([self.sources[i] for i in lexical]),
            f"rrf-{self.label}": passages_of([self.sources[i] for i in rrf(dense, lexical)]),
        }


def gold_key(corpus_name: str, question: Question) -> str:
    return f"{corpus_name}/{question.gold}" if question.gold else ""


def sample(found: list[Question], limit: int | None) -> list[Question]:
    """At most `limit` questions per set, drawn with a fixed seed."""
    if limit is None:
        return found
    by_set: dict[str, list[Question]] = defaultdict(list)
    for q in found:
        by_set[q.set].append(q)
    rng = random.Random(7)
    return [q for qs in by_set.values() for q in (rng.sample(qs, limit) if len(qs) > limit else qs)]


def absent_questions(limit: int | None) -> list[Question]:
    """The questions about what the archive does not hold, as unanswerable Questions."""
    if not ABSENT.exists():
        return []
    rows = [json.loads(line) for line in ABSENT.read_text("utf-8").splitlines() if line.strip()]
    found = [Question(f"absent_{r['language']}", r["question"], "", r["language"]) for r in rows]
    return sample(found, limit)


def drain(answering: Iterator[Any]) -> Answer:
    """The Answer a generator of the answer step returns, past the text it streams."""
    try:
        while True:
            next(answering)
    except StopIteration as stop:
        answer = stop.value
    assert isinstance(answer, Answer)
    return answer


def ask(bot: Bot, q: Question, excluded: frozenset[str] = frozenset()) -> tuple[Answer, float]:
    """The product's answer, with `excluded` passages (keys) taken out of what retrieval
    returns: the real retrieval at full depth, the first top_k that remain, the real
    decision and composition."""
    started = time.perf_counter()
    if not excluded:
        answer = bot.ask(q.text)
        return answer, time.perf_counter() - started
    language = detect_language(q.text, LANGUAGES)
    kept, vector = retrieve_without(bot, q.text, language, excluded)
    # `_answer` is the same step in the code before this bench learnt to leave passages out.
    answering = getattr(bot, "answer_from", None) or bot._answer  # type: ignore[attr-defined]
    answer = drain(answering(q.text, q.text, kept, language, vector))
    return answer, time.perf_counter() - started


def retrieve_without(
    bot: Bot, text: str, language: str, excluded: frozenset[str]
) -> tuple[list[Any], Any]:
    """The product's retrieval at full depth, with `excluded` passages taken out, cut to
    the product's top_k."""
    k, bot.retriever.k = bot.retriever.k, DEPTH  # the code before took no k per call
    try:
        docs, vector = bot.retriever.retrieve_with_vector(text, language)
    finally:
        bot.retriever.k = k
    kept = [d for d in docs if passage_key(d.metadata["source"]) not in excluded]
    return kept[: bot.settings.top_k], vector


def outcome(result: Result, answer: Answer) -> None:
    result.found = answer.found
    result.lacking = bool(getattr(answer, "lacking", []))  # not in the code before
    result.cited = passages_of([c.source for c in answer.citations])


def run_set(
    bot: Bot, corpus_name: str, found: list[Question], plain: Baselines | None, label: str
) -> list[Result]:
    """Ask every question of the real Bot (and the baselines), one result each."""
    bot.ask("warm up")
    results = []
    for q in found:
        result = Result(q, gold_key(corpus_name, q))
        answer, result.seconds = ask(bot, q)
        outcome(result, answer)
        result.rankings[f"ours-{label}"] = passages_of([r["source"] for r in answer.retrieved])
        if plain is not None:
            result.rankings.update(plain.rank(q.text))
        results.append(result)
    return results


class Holders:
    """Which archive passages hold a given answer text (word-bounded; short answers such
    as "AS" case-sensitively, others not)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def of(self, answer: str) -> set[str]:
        answer = answer.strip()
        if not answer:
            return set()
        flags = 0 if len(answer) <= 3 else re.IGNORECASE
        pattern = re.compile(r"(?<!\w)" + re.escape(answer) + r"(?!\w)", flags)
        return {key for key, text in self.texts.items() if pattern.search(text)}


def archive_texts() -> dict[str, str]:
    from devsets import indosum_articles

    texts = {f"{name}/{key}": text for name in CORPORA for key, text in corpus(name).items()}
    texts.update({f"indosum/{key}": text for key, text in indosum_articles().items()})
    return texts


def gold_out(bot: Bot, asked: list[tuple[str, list[Question]]], limit: int | None) -> list[Result]:
    """Answerable questions over the archive with every passage holding the answer taken
    out, then the absent questions: each a Result with gold "" (nothing answers it)."""
    holders = Holders(archive_texts())
    results = []
    for corpus_name, found in asked:
        for q in found:
            if not q.gold:
                continue
            excluded = frozenset({gold_key(corpus_name, q), *holders.of(q.answer)})
            gone = Question(q.set.replace("_", "_out_", 1), q.text, "", q.language)
            result = Result(gone, "")
            answer, result.seconds = ask(bot, gone, excluded)
            outcome(result, answer)
            results.append(result)
    for q in absent_questions(limit):
        result = Result(q, "")
        answer, result.seconds = ask(bot, q)
        outcome(result, answer)
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


def by_set(results: list[Result]) -> dict[str, list[Result]]:
    grouped: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        grouped[r.question.set].append(r)
    return grouped


def report_retrieval(results: list[Result], title: str) -> None:
    print(f"#### {title}: retrieval\n")
    print("| set | questions | retriever | R@1 | R@5 | MRR@10 |\n|---|---|---|---|---|---|")
    for name, rows in by_set(results).items():
        if not any(r.gold for r in rows):
            continue
        retrievers = sorted({k for r in rows for k in r.rankings}, key=_retriever_order)
        for retriever in retrievers:
            r1, r5, mrr = recall(rows, retriever)
            count = sum(bool(r.gold) for r in rows)
            print(f"| {name} | {count} | {retriever} | {r1:.3f} | {r5:.3f} | {mrr:.3f} |")
    print()


def _retriever_order(name: str) -> tuple[int, str]:
    return (
        {"bm25": 0}.get(name, 1 if "-" not in name else 2 if name.startswith("rrf") else 3),
        name,
    )


def report_answers(results: list[Result], title: str) -> None:
    print(f"#### {title}: answers\n")
    print(
        "| set | answerable | unanswerable | false abstention | unanswerable refused "
        "| unanswerable refused or led by what is lacking | gold cited (answered) "
        "| quotes per answer | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    for name, rows in by_set(results).items():
        answerable = [r for r in rows if r.gold]
        other = [r for r in rows if not r.gold]
        answered = [r for r in answerable if r.found]
        quotes = [len(r.cited) for r in rows if r.found]
        ms = [r.seconds * 1000 for r in rows]
        print(
            f"| {name} | {len(answerable)} | {len(other)} "
            f"| {share([not r.found for r in answerable])} "
            f"| {share([not r.found for r in other])} "
            f"| {share([not r.found or r.lacking for r in other])} "
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
    pairs_by: dict[str, list[tuple[Result, Result]]] = defaultdict(list)
    for a, b in zip(alone, archive, strict=True):
        pairs_by[a.question.set].append((a, b))
    for name, pairs in pairs_by.items():
        both = [(a, b) for a, b in pairs if a.found and b.found]
        print(
            f"| {name} | {len(pairs)} | {share([a.found == b.found for a, b in pairs])} "
            f"| {sum(a.found and not b.found for a, b in pairs)} "
            f"| {sum(b.found and not a.found for a, b in pairs)} "
            f"| {share([a.cited[:1] == b.cited[:1] for a, b in both])} |"
        )
    print()


def merge(runs: list[list[Result]]) -> list[Result]:
    """Results of one question set under several embedders, as one row per question with
    every embedder's rankings; decisions are those of the first run."""
    first = runs[0]
    for other in runs[1:]:
        for a, b in zip(first, other, strict=True):
            a.rankings.update(b.rankings)
    return first


def ingest_rate(name: str, embedder: Embedder, settings: Settings) -> str:
    done = (cache_of(name, embedder) / "done").read_text().split()
    seconds = float(done[1]) if len(done) > 1 else float("nan")
    chunks = Bot(settings, embedder).store.count()
    return f"{chunks:,} chunks, {seconds:,.0f} s, {chunks / seconds:.1f} chunks/s"


def measure(specs: list[str], limit: int | None, archive: bool) -> None:
    asked = [(name, sample(questions(name), limit)) for name in CORPORA]
    alone_runs, archive_runs, answers_alone, answers_archive = [], [], {}, {}
    for spec in specs:
        label, embedder, overrides = make(spec)
        alone: list[Result] = []
        for name, found in asked:
            settings = build_index(name, embedder, **overrides)
            bot = Bot(settings, embedder)
            alone += run_set(bot, name, found, Baselines(bot, label), label)
            print(f"ingest {label} {name}: {ingest_rate(name, embedder, settings)}", flush=True)
        alone_runs.append(alone)
        answers_alone[label] = [*alone]
        report_answers(alone, f"Each set over its own corpus, product with {label}")
        if archive:
            settings = build_index(ARCHIVE, embedder, **overrides)
            bot = Bot(settings, embedder)
            print(f"ingest {label} archive: {ingest_rate(ARCHIVE, embedder, settings)}")
            print(f"Archive: {bot.corpus.articles} articles, {bot.store.count()} chunks\n")
            inside = [
                r
                for name, found in asked
                for r in run_set(bot, name, found, Baselines(bot, label), label)
            ]
            archive_runs.append(inside)
            answers_archive[label] = (inside, gold_out(bot, asked, limit))
            report_answers(inside + answers_archive[label][1], f"The archive, product with {label}")
    report_retrieval(merge(alone_runs), "Each set over its own corpus")
    if archive:
        report_retrieval(merge(archive_runs), "The same questions over the archive")
        for label, (inside, _) in answers_archive.items():
            print(f"#### Decisions kept from each set's own corpus to the archive, {label}\n")
            compare(answers_alone[label], inside)


@dataclass
class Sample:
    """One retrieved passage of one question: its signals and whether it is the gold one."""

    set: str
    language: str
    question: int
    answerable: bool
    gold: bool
    lacking: bool  # the question has a name no article mentions: led by what is lacking
    values: list[float]

    def plain(self) -> Any:
        import bot.calibrate as calibrating

        return calibrating.Sample(
            self.set, self.question, self.answerable, self.gold, tuple(self.values)
        )


def collect(
    spec: str, limit: int | None, more: Callable[..., list[float]] | None = None
) -> list[Sample]:
    """Signals of every retrieved passage of every development question over the archive
    (answerable ones with their gold in, unanswerable ones, the same answerable ones with
    every passage holding their answer out, and the absent questions) and over its own
    corpus. `more(terms,
    question, passage text, language)` adds signals to try (bench/abstain.py)."""
    _, embedder, overrides = make(spec)
    archive = Bot(build_index(ARCHIVE, embedder, **overrides), embedder)
    holders = Holders(archive_texts())
    jobs: list[tuple[Bot, Question, str, frozenset[str]]] = []
    for name in CORPORA:
        own = Bot(build_index(name, embedder, **overrides), embedder)
        for q in sample(questions(name), limit):
            # Each question in its own small corpus too: false abstention must hold there.
            jobs.append((own, replace(q, set=f"{q.set} (own)"), gold_key(name, q), frozenset()))
            jobs.append((archive, q, gold_key(name, q), frozenset()))
            if q.gold:
                excluded = frozenset({gold_key(name, q), *holders.of(q.answer)})
                gone = Question(q.set.replace("_", "_out_", 1), q.text, "", q.language)
                jobs.append((archive, gone, "", excluded))
    jobs += [(archive, q, "", frozenset()) for q in absent_questions(limit)]
    samples: list[Sample] = []
    for n, (bot, q, gold, excluded) in enumerate(jobs):
        language = detect_language(q.text, LANGUAGES)  # as the Bot decides it
        docs, _ = retrieve_without(bot, q.text, language, excluded)
        terms = question_terms(q.text)
        lacking = bool(bot.decide(q.text, docs, language).absent)
        for d in docs:
            values = signals(terms, d.page_content, d.metadata["relevance"])
            if more is not None:
                values += more(terms, q.text, searchable_text(d.page_content), language)
            is_gold = passage_key(d.metadata["source"]) == gold
            samples.append(Sample(q.set, language, n, bool(gold), is_gold, lacking, values))
    return samples


def fit(samples: list[Sample]) -> np.ndarray:
    """bot/calibrate.py's weighted logistic regression, sets and classes weighted alike."""
    import bot.calibrate as calibrating

    return calibrating.fit([s.plain() for s in samples])


def operating_point(samples: list[Sample], beta: np.ndarray) -> tuple[float, dict[str, str]]:
    """The highest threshold with false abstention <= 5 % on every set, and the rates."""
    import bot.calibrate as calibrating

    plain = [s.plain() for s in samples]
    threshold = calibrating.threshold_for(plain, beta, TARGET_FALSE_ABSTENTION)
    lacking = {s.question: s.lacking for s in samples}
    grouped: dict[str, list[tuple[float, Any]]] = defaultdict(list)
    for score, s in calibrating.best_scores(plain, beta).values():
        grouped[s.group].append((score, s))
    rates = {}
    for name, rows in grouped.items():
        fa = [v < threshold for v, s in rows if s.answerable]
        refused = [v < threshold for v, s in rows if not s.answerable]
        handled = [v < threshold or lacking[s.question] for v, s in rows if not s.answerable]
        rates[name] = (
            f"false abstention {share(fa)}, unanswerable refused {share(refused)}, "
            f"refused or led by what is lacking {share(handled)}"
        )
    return threshold, rates


def calibrate(spec: str, limit: int | None) -> None:
    import bot.calibrate as calibrating

    samples = collect(spec, limit)
    models = {}
    for language in ("id", "en"):
        mine = [s for s in samples if s.language == language]
        models[language] = model = calibrating.fit_support([s.plain() for s in mine])
        beta = np.array([model.bias, *model.weights])
        _, rates = operating_point(mine, beta)
        print(f"{language}: {model!r}")
        for name, rate in sorted(rates.items()):
            print(f"  {name}: {rate}")
    print(json.dumps({k: v.model_dump() for k, v in models.items()}))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("measure", "calibrate"))
    parser.add_argument("--embedder", action="append", help="e5, or NAME=URL (repeatable)")
    parser.add_argument("--archive", action="store_true", help="also ask inside the archive")
    parser.add_argument("--limit", type=int, help="questions per set (default: all)")
    args = parser.parse_args(argv)
    specs = args.embedder or ["e5"]
    if args.command == "calibrate":
        calibrate(specs[0], args.limit)
    else:
        measure(specs, args.limit, args.archive)


if __name__ == "__main__":
    main(sys.argv[1:])
