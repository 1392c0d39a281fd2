"""Gold-passage R@5 beside answer-string R@5 (DPR's top-k accuracy), per embedder.

    python bench/answer_recall.py [--embedder SPEC ...] [--limit N]

The development sets name one gold passage per question, but another passage of the
corpus (or of the archive) may state the answer as well: FacQA's articles repeat names
and facts across paragraphs. For each answerable question, the product's top five
distinct passages (of the product's top_k chunks, as in
bench/quality.py), in each set's own corpus and in `archive1600`, count as a hit when
they hold the gold passage (bench/quality.py's R@5), and, the looser reading, when any of
them holds the answer's text (word-bounded, short answers case-sensitively: the Holders
rule bench/quality.py uses to take "every passage that answers" out of gold-out questions).
Only questions whose answer text occurs in their gold passage are counted.
"""

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CORPORA, build_index, make, questions
from quality import Holders, archive_texts, gold_key, passages_of, sample

from bot.chain import Bot
from bot.retrieve import LANGUAGES
from index.metadata import detect_language


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedder", action="append", help="e5, or NAME=URL (repeatable)")
    parser.add_argument("--limit", type=int, default=400, help="questions per set")
    args = parser.parse_args(argv)
    holders = Holders(archive_texts())
    print("| set | index | embedder | questions | R@5, gold passage | R@5, any answering passage |")
    print("|---|---|---|---|---|---|")
    for spec in args.embedder or ["e5"]:
        label, embedder, overrides = make(spec)
        archive = Bot(build_index("archive1600", embedder, **overrides), embedder)
        for name in CORPORA:
            own = Bot(build_index(name, embedder, **overrides), embedder)
            hits: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
            for q in sample(questions(name), args.limit):
                gold = gold_key(name, q)
                answering = holders.of(q.answer) if q.gold else set()
                if gold not in answering:
                    continue  # no gold, or its answer text is not in the gold passage
                language = detect_language(q.text, LANGUAGES)
                for where, bot in (("own", own), ("archive", archive)):
                    docs, _ = bot.retriever.retrieve_with_vector(q.text, language)
                    top = passages_of([d.metadata["source"] for d in docs])[:5]
                    hits[(q.set, where)].append((gold in top, bool(answering & set(top))))
            for (qset, where), rows in hits.items():
                strict = statistics.mean(g for g, _ in rows)
                loose = statistics.mean(a for _, a in rows)
                print(f"| {qset} | {where} | {label} | {len(rows)} | {strict:.3f} | {loose:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
