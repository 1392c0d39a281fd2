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


def built_in_calibration(embedder: str) -> Calibration | None:
    """The calibration shipped for this model's family (a name containing its key)."""
    table = json.loads((files("index") / "calibrations.json").read_text(encoding="utf-8"))
    name = embedder.lower()
    for family, found in table.items():
        if family in name:
            return Calibration.model_validate({**found, "embedder": embedder})
    return None


def decode_calibration(text: str, where: str) -> Calibration:
    """A calibration saved as JSON; a ConfigError naming `where` when it is not one."""
    try:
        return Calibration.model_validate_json(text)
    except ValidationError:
        raise ConfigError(
            f"The calibration saved in {where} cannot be read; fit it again with "
            "`python -m bot calibrate QUESTIONS.jsonl`."
        ) from None
