"""Would ranking a deeper pool by the support score beat the fused ranking?

    python bench/rerank.py

Over the cached development indexes (bench/devsets.py), every question: the real
retriever with `top_k` 32, and the support score of bot/decide.py for each passage.
Prints, per set, R@1 / R@5 of the fused ranking as the bot has it (its first 8), and of
the first 8, 16 and 32 fused passages ordered by support, with the share of answerable
questions refused and of unanswerable ones refused at the calibrated threshold.
Figures and the decision (not kept) in BENCHMARKS.md.
"""

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CORPORA, build_index, passage_key, questions
from quality import gold_key

from bot.chain import Bot
from bot.decide import question_terms, signals, support
from bot.retrieve import LANGUAGES
from index.embed import LocalEmbedder
from index.metadata import detect_language

DEPTHS = (8, 16, 32)
Row = tuple[str, list[str], list[float], float]  # gold, passage keys, support, threshold


def rows_of(corpus: str, embedder: LocalEmbedder) -> dict[str, list[Row]]:
    settings = build_index(corpus, embedder).model_copy(update={"top_k": max(DEPTHS)})
    bot = Bot(settings, embedder)
    rows: dict[str, list[Row]] = {}
    for q in questions(corpus):
        language = detect_language(q.text, LANGUAGES)
        docs, _ = bot.retriever.retrieve_with_vector(q.text, language)
        calibration = bot.calibration
        assert calibration is not None
        model = calibration.model(language)
        assert model is not None
        terms = question_terms(q.text)
        scores = [
            support(model, signals(terms, d.page_content, d.metadata["relevance"])) for d in docs
        ]
        keys = [passage_key(d.metadata["source"]) for d in docs]
        rows.setdefault(q.set, []).append((gold_key(corpus, q), keys, scores, model.threshold))
    return rows


def by_support(keys: list[str], scores: list[float], depth: int) -> list[str]:
    order = sorted(range(min(depth, len(keys))), key=lambda i: -scores[i])
    return list(dict.fromkeys(keys[i] for i in order))


def share(values: list[bool]) -> str:
    return f"{statistics.mean(values):.3f}" if values else "–"


def main() -> None:
    embedder = LocalEmbedder()
    print("| set | ranking | R@1 | R@5 | answerable refused | unanswerable refused |")
    print("|---|---|---|---|---|---|")
    for corpus in CORPORA:
        for name, rows in rows_of(corpus, embedder).items():
            answerable = [r for r in rows if r[0]]
            other = [r for r in rows if not r[0]]
            fused = [list(dict.fromkeys(k[:8])) for _, k, _, _ in answerable]
            golds = [g for g, _, _, _ in answerable]
            r1 = share([g in f[:1] for g, f in zip(golds, fused, strict=True)])
            r5 = share([g in f[:5] for g, f in zip(golds, fused, strict=True)])
            print(f"| {name} | fused, first 8 | {r1} | {r5} | | |")
            for depth in DEPTHS:
                ranked = [by_support(k, s, depth) for _, k, s, _ in answerable]
                print(
                    f"| {name} | support, first {depth} "
                    f"| {share([g in r[:1] for g, r in zip(golds, ranked, strict=True)])} "
                    f"| {share([g in r[:5] for g, r in zip(golds, ranked, strict=True)])} "
                    f"| {share([max(s[:depth]) < t for _, _, s, t in answerable])} "
                    f"| {share([max(s[:depth]) < t for _, _, s, t in other])} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
