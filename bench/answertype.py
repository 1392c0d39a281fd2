"""Does the passage hold something of the kind the question asks for (issue 10)?

    python bench/answertype.py [--limit N]

A question's wh-word says what kind of answer it wants: "when"/"kapan" a date, "how
many"/"berapa" a number, "who"/"siapa" a name, "where"/"di mana" a place name. A passage
that answers holds such a thing beyond what the question already says. Over every
development question's retrieved passages, next to the three signals of bot/decide.py,
this adds "the passage holds the asked-for kind" (1 for a question of no such kind), fits
each column set as `bench/quality.py calibrate` fits the product's model, and reads it at
the highest threshold with false abstention <= 5 % on every set; it also prints how often
the passage the fitted score ranks first is the gold one.
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import Sample, collect, fit, operating_point

from bot.decide import Terms

_WORD = re.compile(r"[\w'’-]+")
_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})(an)?$")
_MONTHS = {
    "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
    "oktober", "november", "desember", "january", "february", "march", "may", "june", "july",
    "august", "october", "december", "abad", "century",
}  # fmt: skip
_NUMBER_WORDS = {
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
    "sebelas", "puluh", "ratus", "ribu", "juta", "miliar", "triliun", "seratus", "seribu",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred",
    "thousand", "million", "billion", "dozen", "half", "setengah", "separuh",
}  # fmt: skip
# The asked-for kind, by the question's opening words (checked in this order).
_KINDS = (
    ("date", re.compile(r"\b(when|what year|which year|what date|kapan\w*|tahun berapa|"
                        r"tanggal berapa|bulan apa|abad ke ?berapa)\b", re.I)),
    ("number", re.compile(r"\b(how (many|much|long|old|far|big|large|tall|high|deep)|"
                          r"berapa\w*)\b", re.I)),
    ("name", re.compile(r"\b(who|whom|whose|siapa\w*)\b", re.I)),
    ("place", re.compile(r"\b(where|di ?mana\w*|ke ?mana\w*|dari ?mana\w*)\b", re.I)),
)  # fmt: skip


def asked_kind(question: str) -> str:
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return ""


def holds(kind: str, question: str, text: str) -> bool:
    """Whether the passage has something of that kind the question does not already say."""
    own = {w.lower() for w in _WORD.findall(question)}
    tokens = _WORD.findall(text)
    for position, token in enumerate(tokens):
        low = token.lower()
        if low in own:
            continue
        if kind == "date" and (_YEAR.match(low) or low in _MONTHS):
            return True
        if kind == "number" and (any(c.isdigit() for c in low) or low in _NUMBER_WORDS):
            return True
        opens = position == 0 or tokens[position - 1].endswith((".", "!", "?"))
        if kind in ("name", "place") and token[0].isupper() and not opens:
            return True
    return False


def extra(terms: Terms, question: str, text: str, language: str) -> list[float]:
    kind = asked_kind(question)
    return [1.0 if not kind or holds(kind, question, text) else 0.0]


def first_is_gold(rows: list[Sample], beta: np.ndarray) -> dict[str, float]:
    best: dict[int, tuple[float, bool]] = {}
    set_of: dict[int, str] = {}
    for s in rows:
        if not s.answerable:
            continue
        score = float(beta @ [1.0, *s.values])
        if s.question not in best or score > best[s.question][0]:
            best[s.question] = (score, s.gold)
        set_of[s.question] = s.set
    hits: dict[str, list[bool]] = defaultdict(list)
    for n, (_, gold) in best.items():
        hits[set_of[n]].append(gold)
    return {k: round(sum(v) / len(v), 3) for k, v in sorted(hits.items())}


def main(argv: list[str]) -> None:
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    rows = collect("e5", limit, more=extra)
    kinds: dict[str, int] = defaultdict(int)
    for s in rows:
        kinds[s.set] += 1
    print("| language | signals | per set at <= 5 % false abstention | support's first is gold |")
    print("|---|---|---|---|")
    for language in ("id", "en"):
        for columns, names in (((0, 1, 2), "the product's three"), ((0, 1, 2, 3), "+ kind")):
            mine = [
                Sample(
                    s.set,
                    s.language,
                    s.question,
                    s.answerable,
                    s.gold,
                    s.lacking,
                    [s.values[c] for c in columns],
                )
                for s in rows
                if s.language == language
            ]
            beta = fit(mine)
            _, rates = operating_point(mine, beta)
            rate_text = "; ".join(f"{k}: {v}" for k, v in rates.items())
            print(f"| {language} | {names} | {rate_text} | {first_is_gold(mine, beta)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
