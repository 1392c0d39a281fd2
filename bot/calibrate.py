"""Fitting the answer step's support model (bot/decide.py) on labelled questions.

Each labelled question names the source file that answers it (and, optionally, the words
of the answer), or says that nothing in the index does. Every passage retrieval returns
for it becomes one sample: its three signals, and whether it is the answering passage. A
logistic regression per question language (each class weighted equally) gives the
weights; the threshold is the lowest that keeps false abstention on the answerable
questions at or under `target` (5 % by default). `bench/quality.py calibrate` fits the
built-in calibrations the same way.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.documents import Document

from bot.decide import Terms, question_terms, signals
from index.calibration import Calibration, SupportModel
from index.errors import ConfigError

if TYPE_CHECKING:
    from bot.chain import Bot

MIN_ANSWERABLE = 20  # per language: fewer cannot place a 5 % quantile
TARGET_FALSE_ABSTENTION = 0.05


@dataclass(frozen=True)
class Labelled:
    """A question, and the source file whose passage answers it ("" when none does)."""

    question: str
    source: str = ""
    answer: str = ""  # words of the answer, to tell the answering chunk of a long file

    def answers(self, doc: Document) -> bool:
        if not self.source or str(doc.metadata["source"]) != self.source:
            return False
        return not self.answer or self.answer.lower() in doc.page_content.lower()


@dataclass(frozen=True)
class Sample:
    """One retrieved passage of one question: its signals and whether it answers."""

    group: str  # the question's set (what false abstention is bounded on)
    question: int
    answerable: bool
    gold: bool
    values: tuple[float, ...]


def read_labelled(path: Path) -> list[Labelled]:
    """Labelled questions from a JSON Lines file; a ConfigError names the bad line."""
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            found.append(
                Labelled(
                    str(row["question"]), str(row.get("source") or ""), str(row.get("answer") or "")
                )
            )
        except (ValueError, KeyError, TypeError):
            raise ConfigError(
                f"{path}:{n} is not a labelled question; write one JSON object a line: "
                '{"question": "...", "source": "path/of/the/answering/file" or null}'
            ) from None
    return found


def samples_of(
    n: int, group: str, terms: Terms, docs: Sequence[Document], is_gold: Iterable[bool]
) -> list[Sample]:
    """The samples of one question's retrieved passages."""
    gold = list(is_gold)
    answerable = any(gold)
    return [
        Sample(
            group, n, answerable, g, tuple(signals(terms, d.page_content, d.metadata["relevance"]))
        )
        for d, g in zip(docs, gold, strict=True)
    ]


def question_samples(
    n: int, group: str, question: str, docs: Sequence[Document], gold: Iterable[bool]
) -> list[Sample]:
    return samples_of(n, group, question_terms(question), docs, gold)


def fit(samples: Sequence[Sample]) -> np.ndarray:
    """Weighted logistic regression (Newton steps) of `gold` on the signals; each group's
    gold and other passages weigh alike, so no set or class outvotes the others."""
    x = np.array([[1.0, *s.values] for s in samples])
    y = np.array([s.gold for s in samples], dtype=float)
    counts: dict[tuple[str, bool], int] = defaultdict(int)
    for s in samples:
        counts[(s.group, s.gold)] += 1
    w = np.array([1.0 / counts[(s.group, s.gold)] for s in samples])
    w /= w.mean()
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ beta))
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + 1e-3 * np.eye(len(beta))
        beta += np.linalg.solve(hessian, x.T @ (w * (y - p)))
    return beta


def best_scores(samples: Sequence[Sample], beta: np.ndarray) -> dict[int, tuple[float, Sample]]:
    """Each question's best support score under `beta`, with one of its samples."""
    best: dict[int, tuple[float, Sample]] = {}
    for s in samples:
        score = float(beta @ [1.0, *s.values])
        if s.question not in best or score > best[s.question][0]:
            best[s.question] = (score, s)
    return best


def threshold_for(
    samples: Sequence[Sample], beta: np.ndarray, target: float = TARGET_FALSE_ABSTENTION
) -> float:
    """The highest threshold that keeps false abstention at or under `target` in every
    group of answerable questions."""
    by_group: dict[str, list[float]] = defaultdict(list)
    for score, s in best_scores(samples, beta).values():
        if s.answerable:
            by_group[s.group].append(score)
    return min(float(np.quantile(v, target, method="lower")) for v in by_group.values())


def fit_support(samples: Sequence[Sample], target: float = TARGET_FALSE_ABSTENTION) -> SupportModel:
    """A support model fitted on `samples`; ConfigError when they are too few to fit."""
    answerable = {s.question for s in samples if s.answerable}
    if len(answerable) < MIN_ANSWERABLE or not any(not s.gold for s in samples):
        raise ConfigError(
            f"Calibrating needs at least {MIN_ANSWERABLE} answerable questions per language "
            f"(got {len(answerable)}), and some that the index does not answer."
        )
    beta = fit(samples)
    threshold = threshold_for(samples, beta, target)
    b = [round(float(v), 3) for v in beta]
    rounded = float(np.floor((threshold - 1e-9) * 100) / 100)  # never above the fitted one
    return SupportModel(bias=b[0], weights=(b[1], b[2], b[3]), threshold=rounded)


def calibrate_bot(
    bot: "Bot", labelled: Sequence[Labelled], fitted_on: str
) -> tuple[Calibration, list[str]]:
    """A calibration of `bot`'s index for its embedder, per question language, with the
    error rates it gives on the questions it was fitted on."""
    from bot.retrieve import LANGUAGES
    from index.metadata import detect_language

    by_language: dict[str, list[Sample]] = defaultdict(list)
    for n, item in enumerate(labelled):
        language = detect_language(item.question, LANGUAGES)
        docs = bot.retriever.retrieve(item.question)
        gold = [item.answers(d) for d in docs]
        group = "answerable" if item.source else "unanswerable"
        by_language[language] += question_samples(n, group, item.question, docs, gold)
    models, rates = {}, []
    for language, samples in sorted(by_language.items()):
        models[language] = model = fit_support(samples)
        rates.append(f"{language}: {describe(samples, model)}")
    calibration = Calibration(
        embedder=bot.embedder.name,
        models=models,
        fitted_on=f"{fitted_on}, {len(labelled)} questions",
    )
    return calibration, rates


def describe(samples: Sequence[Sample], model: SupportModel) -> str:
    """False abstention and unanswerable refused under `model`, as a line."""
    beta = np.array([model.bias, *model.weights])
    best = best_scores(samples, beta).values()
    answerable = [score < model.threshold for score, s in best if s.answerable]
    other = [score < model.threshold for score, s in best if not s.answerable]
    fa = f"{np.mean(answerable):.3f}" if answerable else "-"
    refused = f"{np.mean(other):.3f}" if other else "-"
    return (
        f"false abstention {fa} ({len(answerable)} questions), "
        f"unanswerable refused {refused} ({len(other)})"
    )
