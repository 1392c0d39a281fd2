"""Tried and not kept (issue 10): do word-rarity and sentence signals refuse more
unanswerable questions at the same 5 % false abstention?

    pip install wordfreq Sastrawi   # wordfreq is not a dependency of the product
    python bench/abstain.py [--limit N]

Over every development question's retrieved passages, next to the three signals of
bot/decide.py: the number of question names and other words the passage lacks, the best
single sentence's share of them, and an information-weighted coverage (each question word
weighted by 7 minus its Zipf frequency in the question's language, wordfreq; Indonesian
question words also match through their Sastrawi stem). Each column set is fitted as
`bench/quality.py calibrate` fits the product's model (gold passage or not, per question
language) and read at the highest threshold with false abstention <= 5 % on every set.
"""

import functools
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import Sample, collect, fit, operating_point

from bot.decide import Terms, Words, mentions

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")
NAMES = ("relevance", "anchors", "words", "names lacked", "words lacked", "best sentence",
         "weighted coverage", "weighted lack")  # fmt: skip
TRIED = ((0, 1, 2), (0, 1, 2, 3, 4), (0, 1, 2, 5), (0, 6), (0, 1, 2, 6), (0, 1, 2, 6, 7))


@functools.cache
def _stemmer() -> object:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.cache
def _stem(word: str) -> str:
    return str(_stemmer().stem(word))  # type: ignore[attr-defined]


@functools.cache
def _weight(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return max(0.0, 7.0 - float(zipf_frequency(word, language)))


def extra(terms: Terms, question: str, text: str, language: str) -> list[float]:
    """The added signals of one passage for one question."""
    words = Words.of(text)
    lacked_names = sum(not mentions(a, words) for a in terms.anchors)
    lacked_words = sum(not words.has(w) for w in terms.words)
    total = len(terms.anchors) + len(terms.words)
    best = 0.0
    for sentence in _SENTENCE.split(text) if total else []:
        own = Words.of(sentence)
        found = sum(mentions(a, own) for a in terms.anchors) + sum(own.has(w) for w in terms.words)
        best = max(best, found / total)
    joined = " " + " ".join(words.exact) + " "
    weight = have = lack = 0.0
    for word in dict.fromkeys(w.lower() for w in _WORD.findall(question)):
        w = _weight(word, language)
        root = _stem(word) if language == "id" else word
        weight += w
        if words.has(word) or (len(root) >= 4 and root in joined):
            have += w
        else:
            lack += w
    return [lacked_names, lacked_words, best, have / weight if weight else 0.0, lack]


def pick(row: Sample, columns: tuple[int, ...]) -> list[float]:
    return [row.values[c] for c in columns]


def main(argv: list[str]) -> None:
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    rows = collect("e5", limit, more=extra)
    print("| language | signals | per set at <= 5 % false abstention |")
    print("|---|---|---|")
    for language in ("id", "en"):
        for columns in TRIED:
            mine = [
                Sample(
                    s.set, s.language, s.question, s.answerable, s.gold, s.lacking, pick(s, columns)
                )
                for s in rows
                if s.language == language
            ]
            _, rates = operating_point(mine, fit(mine))
            names = ", ".join(NAMES[c] for c in columns)
            print(f"| {language} | {names} | {'; '.join(f'{k}: {v}' for k, v in rates.items())} |")


if __name__ == "__main__":
    main(sys.argv[1:])
