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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_core.documents import Document
from rapidfuzz import fuzz, process

from bot.names import split_place_names
from index.calibration import SupportModel
from index.chunk import searchable_text
from index.names import MIN_PART, clips, exonyms
from index.settings import Settings

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s?$")
CLOSE = 80  # rapidfuzz ratio of folded spellings at which two are one name in a passage
# Over a whole archive's words a ratio of 80 finds some word for most names ("meloni" ~
# "melon"): a name is in the archive at 90 or more (bench/quality.py, absent questions).
ARCHIVE_CLOSE = 90
# Transliteration variants fold together before comparing: Kyiv/Kiev, Malacca/Malaka.
_FOLDS = (("ph", "f"), ("y", "i"), ("c", "k"), ("q", "k"))
_REPEAT = re.compile(r"(.)\1+")
LONG_WORD = 4  # shorter words are mostly function words, in either language
UNCALIBRATED_MARGIN = 0.05  # without a calibration, passages this close in cosine are quoted


@dataclass(frozen=True)
class Anchor:
    """A name or number in the question, with the spellings that count as mentioning it."""

    label: str
    forms: tuple[tuple[str, ...], ...]  # each form is a tuple of lower-case words
    run: str = ""  # the name it is part of, as the question writes it


@dataclass
class Decision:
    """Whether to answer, the passages that answer (best first), and what they lack."""

    answer: bool
    passages: list[Document] = field(default_factory=list)  # to quote
    context: list[Document] = field(default_factory=list)  # every passage that may answer
    absent: list[str] = field(default_factory=list)  # names and numbers no article mentions
    unquoted: list[str] = field(default_factory=list)  # others no quoted passage mentions
    calibrated: bool = True  # False: no support model for this embedder, nothing refused


@dataclass(frozen=True)
class Terms:
    """What a passage is checked for: the question's anchors and its other long words."""

    anchors: list[Anchor]
    words: list[str]


def find_anchors(question: str) -> list[Anchor]:
    """Names (capitalised words after the first) and numbers of the question; each name
    word remembers the run of capitalised words it stands in ("World" in "World Cup")."""
    table = exonyms()
    places, rest = split_place_names(question)
    anchors = [
        Anchor(name, (tuple(_lower_words(name)), tuple(_lower_words(table[name]))), name)
        for name in places
    ]
    run: list[str] = []
    for position, token in enumerate([*_TOKEN.findall(rest), ""]):
        word = _POSSESSIVE.sub("", token)
        if word and position > 0 and word[0].isupper() and not any(c.isdigit() for c in word):
            run.append(word)
            if not _POSSESSIVE.search(token):  # "Putin's army": the name ends here
                continue
        name = " ".join(run)
        anchors += [Anchor(w, (tuple(_lower_words(w)),), name) for w in run]
        run = []
        if any(ch.isdigit() for ch in word):
            anchors.append(Anchor(word, (tuple(_lower_words(word)),), word))
    return list({a.label: a for a in anchors}.values())


def named_runs(anchors: list[Anchor], labels: list[str]) -> list[str]:
    """Those anchors (by label) as the reader wrote them: a run of capitalised words all
    of whose words are among them reads as one name ("World Cup"), else word by word."""
    wanted = [a for a in anchors if a.label in labels]
    out: list[str] = []
    for a in wanted:
        whole = all(b.label in labels for b in anchors if b.run == a.run)
        out.append(a.run if whole else a.label)
    return list(dict.fromkeys(out))


def _lower_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def fold(word: str) -> str:
    """A spelling with the usual transliteration variants and accents folded together."""
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
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

    def clips(self, name: tuple[str, ...]) -> bool:
        """Whether one of the words is `name` clipped, as Indonesian news writes place names
        ("korut" for korea utara)."""
        if len(name) < 2:
            return False
        start = name[0][:MIN_PART]
        return any(w.startswith(start) and clips(w, name) for w in self.exact)

    def has(self, word: str, close: float = CLOSE) -> bool:
        """Whether the word is here, in this spelling or one at least `close` alike."""
        return word in self.exact or self.closest(word, close) is not None

    def closest(self, word: str, close: float = CLOSE) -> str | None:
        """The folded word here most like `word`, when at least `close` alike."""
        if word.isdigit() or len(word) < LONG_WORD:  # 2005 is not 2006
            return None
        match = process.extractOne(fold(word), self.folded, scorer=fuzz.ratio, score_cutoff=close)
        return None if match is None else str(match[0])


def mentions(anchor: Anchor, words: Words) -> bool:
    """Whether a passage's words hold one of the anchor's forms, or one word that clips a
    form of several ("Korut" for Korea Utara)."""
    return any(
        form and (all(words.has(w) for w in form) or words.clips(form)) for form in anchor.forms
    )


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


def decide(
    question: str,
    docs: list[Document],
    model: SupportModel | None,
    settings: Settings,
    mentioned: Callable[[str], bool] = lambda word: True,
) -> Decision:
    """Answer or refuse, and the passages worth quoting, ordered by how well they answer.

    `model` is the index's calibration for the question's language (None: uncalibrated,
    every passage counts as answering and the best are quoted); `mentioned(word)` says
    whether any article in the archive has the word, so a name the quoted passages lack
    can be told apart from a name no article mentions.
    """
    terms = question_terms(question)
    floor_model = model or SupportModel(bias=0.0, weights=(1.0, 0.0, 0.0), threshold=-1e9)
    scored = sorted(
        (
            (support(floor_model, signals(terms, d.page_content, d.metadata["relevance"])), d)
            for d in docs
        ),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < floor_model.threshold:
        retrieved = _words_of(docs)
        unseen = [a.label for a in terms.anchors if not mentions(a, retrieved)]
        absent = _absent(terms, unseen, mentioned)
        return Decision(False, absent=named_runs(terms.anchors, absent))
    best = scored[0][0]
    margin = settings.quote_margin if model else UNCALIBRATED_MARGIN
    floor = max(floor_model.threshold, best - margin)
    passages = [d for score, d in scored if score >= floor][: settings.max_quotes]
    context = [d for score, d in scored if score >= floor_model.threshold]
    quoted = _words_of(passages)
    missing = [a.label for a in terms.anchors if not mentions(a, quoted)]
    absent = _absent(terms, missing, mentioned)
    unquoted = [label for label in missing if label not in absent]
    return Decision(
        True,
        passages,
        context,
        absent=named_runs(terms.anchors, absent),
        unquoted=named_runs(terms.anchors, unquoted),
        calibrated=model is not None,
    )


def _words_of(docs: list[Document]) -> Words:
    return Words({w for d in docs for w in _lower_words(searchable_text(d.page_content))})


def _absent(terms: Terms, labels: list[str], mentioned: Callable[[str], bool]) -> list[str]:
    """Those anchors (by label) that no article mentions in any of their spellings."""
    wanted = [a for a in terms.anchors if a.label in labels]
    return [
        a.label
        for a in wanted
        if not any(form and all(mentioned(w) for w in form) for form in a.forms)
    ]
