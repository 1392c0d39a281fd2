"""Pseudo-relevance feedback from the dense hits into BM25 (issue 10, point 5).

    python bench/prf.py [--limit N]

An English question shares few words with Indonesian passages, so BM25 sees only its
names. Feedback: the rarest words (by the corpus's own IDF) of the top dense passages are
added to the BM25 query, which then looks for passages that share the vocabulary of
what the dense model found first. Fused as the product fuses (cosine + w x BM25 / best
BM25), over the cached development indexes, for several feedback depths and weights,
next to the product's retriever (`ours`) in the same run: R@1 and R@5 over passages.
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CORPORA, build_index, questions
from quality import passages_of, sample

from bot.chain import Bot
from bot.names import localize_names
from bot.retrieve import LANGUAGES
from index.chunk import searchable_text
from index.embed import LocalEmbedder
from index.lexical import tokenize
from index.metadata import detect_language

DEPTH = 50
FEEDBACK = ((0, 0), (3, 10), (3, 20), (5, 20))  # (top dense passages, words added)
WEIGHTS = (0.02, 0.05, 0.1, 0.2)


def main(argv: list[str]) -> None:
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    embedder = LocalEmbedder()
    hits: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    for corpus in CORPORA:
        bot = Bot(build_index(corpus, embedder), embedder)
        store, lexical = bot.retriever.store, bot.retriever.corpus.lexical
        texts: dict[str, str] = {}
        for q in sample(questions(corpus), limit):
            if not q.gold:
                continue
            gold = f"{corpus}/{q.gold}"
            language = detect_language(q.text, LANGUAGES)
            docs, vector = bot.retriever.retrieve_with_vector(q.text, language)
            ours = passages_of([d.metadata["source"] for d in docs])
            hits[(q.set, "ours")].append((ours[:1] == [gold], gold in ours[:5]))
            relevance = dict(store.search(vector, DEPTH))
            dense = sorted(relevance, key=lambda i: -relevance[i])
            missing = [i for i in dense[:5] if i not in texts]
            texts.update({i: r.text for i, r in store.get(missing).items()})
            own = tokenize(localize_names(q.text))
            for top, extra in FEEDBACK:
                counts: Counter[str] = Counter()
                for i in dense[:top]:
                    counts.update(set(tokenize(searchable_text(texts.get(i, "")))))
                ranked = sorted(counts, key=lambda w: -counts[w] * lexical._global_idf(w))
                words = own + [w for w in ranked if w not in own][:extra]
                scores = dict(lexical.search(words, DEPTH))
                for i in scores:
                    if i not in relevance:
                        relevance[i] = float(store.vectors([i])[i] @ vector)
                best = max(scores.values(), default=1.0)
                sources = {r: m.meta["source"] for r, m in store.get(list(relevance)).items()}
                for w in WEIGHTS:
                    fused = {i: relevance[i] + w * scores.get(i, 0.0) / best for i in relevance}
                    order = sorted(fused, key=lambda i: -fused[i])[:10]
                    ranking = passages_of([sources[i] for i in order if i in sources])
                    label = f"feedback {top}x{extra}, w {w}"
                    hits[(q.set, label)].append((ranking[:1] == [gold], gold in ranking[:5]))
    print("| set | retriever | questions | R@1 | R@5 |\n|---|---|---|---|---|")
    for (name, label), rows in sorted(hits.items()):
        r1 = sum(a for a, _ in rows) / len(rows)
        r5 = sum(b for _, b in rows) / len(rows)
        print(f"| {name} | {label} | {len(rows)} | {r1:.3f} | {r5:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
