"""Index everything with the strong model, or re-score the first stage's top k with it?

    python bench/rescore.py --embedder embeddinggemma=http://127.0.0.1:8091/v1 [--limit N]

For each development question: the product's ranking with the bundled model (first
stage, top 20 and top 50 chunks), those chunks re-scored by the strong model's cosine, and
the product's ranking over an index the strong model built. R@1 and R@5 per set, and the
strong-model passages each re-scored question needs embedded at question time (what the
re-scoring costs per question, at the strong model's measured passages per second).
The strong model's vectors come from bench/devsets.py's cache (the same chunk texts).
"""

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CORPORA, build_index, make, questions
from quality import gold_key, passages_of, sample

from bot.chain import Bot
from bot.retrieve import LANGUAGES
from index.metadata import detect_language

DEPTHS = (20, 50)


def main(argv: list[str]) -> None:
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    spec = argv[argv.index("--embedder") + 1]
    _, small, _ = make("e5")
    label, strong, overrides = make(spec)
    rows: dict[str, list[dict[str, list[str]]]] = defaultdict(list)
    gold: dict[str, list[str]] = defaultdict(list)
    seconds = []
    for name in CORPORA:
        first = Bot(build_index(name, small), small)
        second = Bot(build_index(name, strong, **overrides), strong)
        for q in sample(questions(name), limit):
            if not q.gold:
                continue
            language = detect_language(q.text, LANGUAGES)
            docs, _ = first.retriever.retrieve_with_vector(q.text, language, k=max(DEPTHS))
            query = strong.embed_query(q.text)
            started = time.perf_counter()
            vectors = strong.embed_passages([d.page_content for d in docs])  # cached: see doc
            seconds.append(time.perf_counter() - started)
            cosine = vectors @ query
            ranked = {}
            for depth in DEPTHS:
                order = np.argsort(-cosine[:depth])
                ranked[f"e5 top {depth}, re-scored"] = passages_of(
                    [docs[i].metadata["source"] for i in order]
                )
            ranked["e5 (product)"] = passages_of([d.metadata["source"] for d in docs])
            found, _ = second.retriever.retrieve_with_vector(q.text, language)
            ranked[f"{label} (product)"] = passages_of([d.metadata["source"] for d in found])
            rows[q.set].append(ranked)
            gold[q.set].append(gold_key(name, q))
    print("| set | questions | ranking | R@1 | R@5 |\n|---|---|---|---|---|")
    for name, ranked in rows.items():
        for key in ranked[0]:
            pairs = list(zip((r[key] for r in ranked), gold[name], strict=True))
            r1 = statistics.mean(g in r[:1] for r, g in pairs)
            r5 = statistics.mean(g in r[:5] for r, g in pairs)
            print(f"| {name} | {len(pairs)} | {key} | {r1:.3f} | {r5:.3f} |")
    print(
        f"\nRe-scoring embeds up to {max(DEPTHS)} passages per question with the strong model "
        f"(here read from the cache in {statistics.mean(seconds) * 1000:.0f} ms); at its "
        "measured ingest rate (bench/quality.py) that is seconds per question."
    )


if __name__ == "__main__":
    main(sys.argv[1:])
