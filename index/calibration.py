"""Calibration: how sure the answer step must be, fitted per embedding model.

The decision to answer or refuse (bot/decide.py) is a logistic model of signals whose
scale depends on the embedder: one model's cosines sit in 0.75-0.90, another's spread
over 0.2-0.8. So each embedder has its own `Calibration`, one `SupportModel` per question
language, and the index carries the one it is answered with:

1. one a user fitted on their own labelled questions (`python -m bot calibrate`), saved
   in the index's metadata (so a Chroma server's readers share it);
2. else the built-in one for the index's model family (`calibrations.json`, fitted on the
   development sets by `bench/quality.py calibrate`);
3. else none: answers quote the best passages and say that refusals are not calibrated.
"""

import json
from importlib.resources import files

from pydantic import BaseModel, ValidationError

from index.errors import ConfigError


class SupportModel(BaseModel):
    """A logistic model of whether a passage answers a question (see bot/decide.py).

    `weights` go with the signals relevance, anchors, words; a passage answers when its
    log-odds reach `threshold`.
    """

    bias: float
    weights: tuple[float, float, float]
    threshold: float


class Calibration(BaseModel):
    """The support models of one embedder, by question language, and where they came from."""

    embedder: str
    models: dict[str, SupportModel]
    fitted_on: str = ""  # what it was fitted on, shown to whoever asks

    def model(self, language: str) -> SupportModel | None:
        return self.models.get(language) or next(iter(self.models.values()), None)


class LedgerBars(BaseModel):
    """How close two reports of one speaker must be to be one tracked claim (index/ledger.py).

    `same_claim`: cosine plus word overlap, in one language; `same_passage`: the lower bar
    for the next sentence of a report already matched; `cross_said`: the cosine of what two
    reports in two languages say (None: no joins across languages). Cosines sit on each
    model's own scale, so the bars are fitted per embedder on the ledger's development sets
    (bench/crosslang.py, bench/ledger_update.py).
    """

    same_claim: float
    same_passage: float
    cross_said: float | None


# An embedder without bars of its own keeps the bundled model's for one language (its
# joins still need the shared content words) and joins nothing across languages.
BUNDLED_FAMILY = "multilingual-e5-small"


def _family(embedder: str) -> dict[str, object] | None:
    table = json.loads((files("index") / "calibrations.json").read_text(encoding="utf-8"))
    name = embedder.lower()
    return next((found for family, found in table.items() if family in name), None)


def built_in_calibration(embedder: str) -> Calibration | None:
    """The calibration shipped for this model's family (a name containing its key)."""
    found = _family(embedder)
    if found is None:
        return None
    return Calibration.model_validate(
        {"embedder": embedder, "models": found["models"], "fitted_on": found["fitted_on"]}
    )


def ledger_bars(embedder: str) -> LedgerBars:
    """The ledger's bars for this model's family; for another, the bundled model's in one
    language and none across languages."""
    found = _family(embedder)
    if found is not None and "ledger" in found:
        return LedgerBars.model_validate(found["ledger"])
    bundled = _family(BUNDLED_FAMILY)
    assert bundled is not None  # shipped in calibrations.json
    return LedgerBars.model_validate(bundled["ledger"]).model_copy(update={"cross_said": None})


def decode_calibration(text: str, where: str) -> Calibration:
    """A calibration saved as JSON; a ConfigError naming `where` when it is not one."""
    try:
        return Calibration.model_validate_json(text)
    except ValidationError:
        raise ConfigError(
            f"The calibration saved in {where} cannot be read; fit it again with "
            "`python -m bot calibrate QUESTIONS.jsonl`."
        ) from None
