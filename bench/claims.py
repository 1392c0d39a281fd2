"""Claim extraction against the hand-annotated gold set (bench/claims_gold/, see GUIDE.md).

    python bench/claims.py [--show N] [--sets id,en,en_real,en_real2]

Measures, per language, in the spirit of BBC R&D's citron:
- statement precision / recall / F1: a predicted claim and a gold statement match when the
  claim's span overlaps the gold content span (each gold statement matched at most once);
- content-span overlap precision / recall / F1: the share of predicted content characters
  (what each claim says, `index.claims.content_spans`: its quotation, or the clause its
  reporting verb introduces, without the speaker and the reporting words) that lie in some
  gold content span, and of gold content characters that some predicted content covers;
  the baseline's content is its whole sentence;
- speaker accuracy over matched pairs: strict (the same name, case aside) and entity (one
  name is the other's words in order, e.g. "Stoltenberg" for "Jens Stoltenberg");
- kind accuracy over matched pairs;
- entity typing over matched pairs: the type the ledger's exports give the predicted speaker
  (`bot.export.speaker_type`: person or organisation) against the gold `speaker_type`.
Sets: `id` (IndoSum), `en` (English written for the set), `en_real` (real Wikinews
articles, reported as a whole and in its two fixed halves: the tune half, articles 1, 3, 5
... in name order, which rules may be fitted on, and the held-out half, 2, 4, 6 ..., which
they must not be), and `en_real2` (30 more real Wikinews articles from AMALGUM, annotated
after those rules were fitted, split the same way). The Wikinews texts and their annotations
are kept beside the other development data, in `$CLAIMBOT_BENCH_DATA/wikinews_en/` and
`wikinews_en2/` (default `../shared/data/`; each README gives the texts' source, licence and
how they were joined), not in this repository.
Baseline in the same run: every sentence with a quotation mark or a reporting verb is a
claim by the first capitalised name in it (what a plain cue-word rule gives).
"""

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.export import speaker_type  # noqa: E402
from index.article import load_article  # noqa: E402
from index.claims import content_spans, extract_claims  # noqa: E402
from index.sentences import split_sentences  # noqa: E402

GOLD = REPO / "bench" / "claims_gold"
DATA = Path(os.environ.get("CLAIMBOT_BENCH_DATA", REPO.parent / "shared" / "data"))
REAL = DATA / "wikinews_en"  # real news fetched for measuring: development data, not committed
REAL2 = DATA / "wikinews_en2"  # 30 more, annotated after the rules were fitted on REAL
_CUE = re.compile(
    r"\b(?:mengatakan|kata|katanya|ujar|ujarnya|menurut|menyatakan|menegaskan|membantah|"
    r"meminta|menjelaskan|said|says|told|according to|denied|urged|added)\b|[\"“”]",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str = ""
    kind: str = ""
    content: tuple[tuple[int, int], ...] = ()  # what was said (the whole span when empty)
    speaker_type: str = ""  # "person" or "organization"

    def said(self) -> list[tuple[int, int]]:
        return list(self.content) or [(self.start, self.end)]


def gold_spans(text: str, path: Path) -> list[Span]:
    spans = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        start = text.find(row["content"])
        if start < 0:
            raise SystemExit(f"{path.name}: content not in the article: {row['content'][:60]!r}")
        spans.append(
            Span(
                start,
                start + len(row["content"]),
                row["speaker"],
                row["kind"],
                speaker_type=row["speaker_type"],
            )
        )
    return spans


def predicted(path: Path) -> tuple[str, list[Span]]:
    article = load_article(path, str(path))
    claims = extract_claims(article)
    return article.text, [
        Span(
            c.start,
            c.end,
            c.speaker,
            c.kind,
            tuple((c.start + a, c.start + b) for a, b in content_spans(c.text)),
            speaker_type(c.speaker).casefold() if c.speaker else "",
        )
        for c in claims
    ]


def baseline(text: str) -> list[Span]:
    spans = []
    for start, end in split_sentences(text, 0, len(text)):
        sentence = text[start:end]
        if _CUE.search(sentence):
            name = _NAME.search(sentence[1:])
            spans.append(Span(start, end, name.group(0) if name else ""))
    return spans


def same_entity(guess: str, gold: str) -> bool:
    a, b = guess.casefold().split(), gold.casefold().split()
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


@dataclass
class Tally:
    predicted: int = 0
    gold: int = 0
    matched_pred: int = 0
    matched_gold: int = 0
    pred_chars: int = 0
    pred_in_gold: int = 0
    gold_chars: int = 0
    gold_covered: int = 0
    pairs: int = 0
    speaker_strict: int = 0
    speaker_entity: int = 0
    kind: int = 0
    typed: int = 0

    def add(self, guesses: list[Span], golds: list[Span]) -> None:
        self.predicted += len(guesses)
        self.gold += len(golds)
        used: set[int] = set()
        for g in guesses:
            match = next(
                (
                    n
                    for n, t in enumerate(golds)
                    if n not in used and g.start < t.end and t.start < g.end
                ),
                None,
            )
            if match is not None:
                used.add(match)
                t = golds[match]
                self.matched_pred += 1
                self.pairs += 1
                self.speaker_strict += g.speaker.casefold() == t.speaker.casefold()
                self.speaker_entity += same_entity(g.speaker, t.speaker)
                self.kind += g.kind == t.kind
                self.typed += g.speaker_type == t.speaker_type
        self.matched_gold += len(used)
        gold_chars = {i for t in golds for i in range(t.start, t.end)}
        pred_chars = {i for g in guesses for a, b in g.said() for i in range(a, b)}
        self.pred_chars += len(pred_chars)
        self.pred_in_gold += len(pred_chars & gold_chars)
        self.gold_chars += len(gold_chars)
        self.gold_covered += len(gold_chars & pred_chars)

    def row(self, label: str) -> str:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        p = self.matched_pred / self.predicted if self.predicted else 0.0
        r = self.matched_gold / self.gold if self.gold else 0.0
        op = self.pred_in_gold / self.pred_chars if self.pred_chars else 0.0
        orr = self.gold_covered / self.gold_chars if self.gold_chars else 0.0
        pairs = self.pairs or 1
        cells = [
            label,
            f"{self.gold}",
            f"{self.predicted}",
            f"{p:.3f} / {r:.3f} / {f1(p, r):.3f}",
            f"{op:.3f} / {orr:.3f} / {f1(op, orr):.3f}",
            f"{self.speaker_strict / pairs:.3f} / {self.speaker_entity / pairs:.3f}",
            f"{self.kind / pairs:.3f}" if label.startswith("extractor") else "–",
            f"{self.typed / pairs:.3f}" if label.startswith("extractor") else "–",
        ]
        return "| " + " | ".join(cells) + " |"


def gold_sets(names: list[str]) -> list[tuple[str, list[Path]]]:
    """(label, annotation files) per set; `en_real` as its tune half, its held-out half
    (alternate articles in name order, fixed) and the whole."""
    found = []
    for name in names:
        folder = {"en_real": REAL, "en_real2": REAL2}.get(name, GOLD / name)
        files = sorted(folder.glob("*.jsonl"))
        if folder != GOLD / name and not files:
            sys.exit(f"The real English set is not in {folder}: set CLAIMBOT_BENCH_DATA.")
        if name in ("en_real", "en_real2"):
            found += [
                (f"{name} tune", files[0::2]),
                (f"{name} held-out", files[1::2]),
                (name, files),
            ]
        else:
            found.append((name, files))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="print N misses per set")
    parser.add_argument(
        "--sets", default="id,en,en_real,en_real2", help="gold sets, comma-separated"
    )
    parser.add_argument("--no-shapes", action="store_true", help="skip the IndoSum speaker shapes")
    args = parser.parse_args()
    print(
        "| set, system | gold | predicted | statements P / R / F1 "
        "| content overlap P / R / F1 | speaker strict / entity | kind | type |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for language, annotations in gold_sets(args.sets.split(",")):
        ours, plain = Tally(), Tally()
        misses: list[str] = []
        for annotation in annotations:
            article = annotation.with_suffix(".txt")
            text, guesses = predicted(article)
            golds = gold_spans(text, annotation)
            ours.add(guesses, golds)
            plain.add(baseline(text), golds)
            for t in golds:
                hit = [g for g in guesses if g.start < t.end and t.start < g.end]
                if not hit or not same_entity(hit[0].speaker, t.speaker):
                    said = hit[0].speaker if hit else "(no claim)"
                    misses.append(
                        f"{article.name}: {t.speaker!r} vs {said!r}: {text[t.start : t.end][:70]!r}"
                    )
        print(ours.row(f"extractor, {language}"))
        print(plain.row(f"baseline (cue-word sentences), {language}"))
        for line in misses[: args.show]:
            print(f"    miss {line}", file=sys.stderr)
    if not args.no_shapes:
        speaker_shapes()


# Shapes no speaker should have (issue 12, point 2): counted on every IndoSum article,
# no gold needed. A description starting in lowercase ("juru bicara X") may be right.
_PRONOUNS = {"ia", "dia", "beliau", "mereka", "kami", "kita", "saya", "aku", "anda"}
_SHAPES = {
    "starts with punctuation": lambda s: not s[:1].isalnum(),
    "a pronoun, or ends in one": lambda s: s.split()[-1].lower() in _PRONOUNS,
    "lowercase words after the name (3+ words)": lambda s: (
        len(s.split()) >= 3 and s.split()[-1][:1].islower() and s[:1].isupper()
    ),
}


def speaker_shapes() -> None:
    import tempfile

    from bench.devsets import indosum_articles
    from index.errors import ArticleError

    counts = dict.fromkeys(_SHAPES, 0)
    claims = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        for text in indosum_articles().values():
            path.write_text(text, encoding="utf-8")
            try:
                found = extract_claims(load_article(path, str(path)))
            except ArticleError:
                continue
            for claim in found:
                claims += 1
                for shape, test in _SHAPES.items():
                    counts[shape] += bool(claim.speaker.strip()) and test(claim.speaker.strip())
    print(f"\nSpeakers of the {claims:,} claims found in IndoSum's 3,463 articles:\n")
    print("| shape | claims |\n|---|---|")
    for shape, n in counts.items():
        print(f"| {shape} | {n} ({n / max(claims, 1):.1%}) |")


if __name__ == "__main__":
    main()
