"""The one decision: answer, answer in part, or refuse; and which passages answer.

Every retrieved passage gets a support score, a logistic model of three signals that
depend only on the question and that passage, never on the rest of the corpus, so
unrelated articles sitting in the archive cannot move it:

- relevance: the bundled model's cosine of the question and the passage;
- anchors:   the share of the question's names and numbers the passage has, in any close
             spelling (Kyiv/Kiev, via rapidfuzz) or in its Indonesian form (Japan/Jepang);
- words:     the share of the question's other longer words (not names, not numbers) the
             passage has: what BM25 sees, but for this one pair.

An English question over Indonesian text scores lower cosines and shares few words, so
the weights are per question language. They and the threshold were fitted on the
development sets at no more than 5 % false abstention (`bench/quality.py calibrate`,
figures in BENCHMARKS.md) and live in `Settings`. No single signal refuses by itself: a
name the passages lack only lowers the score, and the answer then says which names the
quoted passages do not mention.
"""

import re
from dataclasses import dataclass, field

from langchain_core.documents import Document
from rapidfuzz import fuzz, process

from bot.names import exonyms, split_place_names
from index.chunk import searchable_text
from index.settings import Settings, SupportModel

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s?$")
CLOSE = 80  # rapidfuzz ratio of folded spellings at which two are one name
# Transliteration variants fold together before comparing: Kyiv/Kiev, Malacca/Malaka.
_FOLDS = (("ph", "f"), ("y", "i"), ("c", "k"), ("q", "k"))
_REPEAT = re.compile(r"(.)\1+")
LONG_WORD = 4  # shorter words are mostly function words, in either language


@dataclass(frozen=True)
class Anchor:
    """A name or number in the question, with the spellings that count as mentioning it."""

    label: str
    forms: tuple[tuple[str, ...], ...]  # each form is a tuple of lower-case words


@dataclass
class Decision:
    """Whether to answer, the passages that answer (best first), and what they lack."""

    answer: bool
    passages: list[Document] = field(default_factory=list)  # to quote
    context: list[Document] = field(default_factory=list)  # every passage that may answer
    missing: list[str] = field(default_factory=list)  # anchors no quoted passage mentions


@dataclass(frozen=True)
class Terms:
    """What a passage is checked for: the question's anchors and its other long words."""

    anchors: list[Anchor]
    words: list[str]


def find_anchors(question: str) -> list[Anchor]:
    """Names (capitalised words after the first) and numbers of the question."""
    table = exonyms()
    places, rest = split_place_names(question)
    anchors = [
        Anchor(name, (tuple(_lower_words(name)), tuple(_lower_words(table[name]))))
        for name in places
    ]
    for position, token in enumerate(_TOKEN.findall(rest)):
        word = _POSSESSIVE.sub("", token)
        is_number = any(ch.isdigit() for ch in word)
        if word and (is_number or (position > 0 and word[0].isupper())):
            anchors.append(Anchor(word, (tuple(_lower_words(word)),)))
    return list({a.label: a for a in anchors}.values())


def _lower_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def fold(word: str) -> str:
    """A spelling with the usual transliteration variants folded together."""
    for old, new in _FOLDS:
        word = word.replace(old, new)
    return _REPEAT.sub(r"\1", word)


class Words:
    """A passage's lower-case words, exact and folded, for spelling-tolerant look-ups."""

    def __init__(self, words: set[str]) -> None:
        self.exact = words
        self.folded = list({fold(w) for w in words if not w.isdigit()})

    @classmethod
    def of(cls, text: str) -> "Words":
        return cls(set(_lower_words(searchable_text(text))))

    def has(self, word: str) -> bool:
        if word in self.exact:
            return True
        if word.isdigit() or len(word) < LONG_WORD:  # 2005 is not 2006
            return False
        match = process.extractOne(fold(word), self.folded, scorer=fuzz.ratio, score_cutoff=CLOSE)
        return match is not None


def mentions(anchor: Anchor, words: Words) -> bool:
    """Whether a passage's words hold one of the anchor's forms."""
    return any(form and all(words.has(w) for w in form) for form in anchor.forms)


def question_terms(question: str) -> Terms:
    """The question's anchors, and its long words that are not part of one."""
    anchors = find_anchors(question)
    named = {w for a in anchors for form in a.forms for w in form}
    words = [w for w in _lower_words(question) if len(w) >= LONG_WORD and w not in named]
    return Terms(anchors, words)


def signals(terms: Terms, text: str, relevance: float) -> list[float]:
    """The three signals of one passage: relevance, anchors, words."""
    words = Words.of(text)
    anchors, long_words = terms.anchors, terms.words
    anchor_share = sum(mentions(a, words) for a in anchors) / len(anchors) if anchors else 0.0
    word_share = sum(words.has(w) for w in long_words) / len(long_words) if long_words else 0.0
    return [relevance, anchor_share, word_share]


def support(model: SupportModel, values: list[float]) -> float:
    """The logistic support score of a passage's signals (a log-odds)."""
    return model.bias + sum(w * v for w, v in zip(model.weights, values, strict=True))


def decide(question: str, docs: list[Document], language: str, settings: Settings) -> Decision:
    """Answer or refuse, and the passages worth quoting, ordered by how well they answer."""
    model = settings.support_models[language]
    terms = question_terms(question)
    scored = sorted(
        (
            (support(model, signals(terms, d.page_content, d.metadata["relevance"])), d)
            for d in docs
        ),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < model.threshold:
        return Decision(answer=False)
    best = scored[0][0]
    floor = max(model.threshold, best - settings.quote_margin)
    passages = [d for score, d in scored if score >= floor][: settings.max_quotes]
    context = [d for score, d in scored if score >= model.threshold]
    quoted = Words({w for d in passages for w in _lower_words(searchable_text(d.page_content))})
    missing = [a.label for a in terms.anchors if not mentions(a, quoted)]
    return Decision(True, passages, context, missing)
