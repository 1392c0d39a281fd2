"""English glosses of tracked claims, made by the LLM at ingest when one is configured.

A gloss is a machine translation for a reader who does not read the claim's language. It
is stored in the ledger beside the claim (`TrackedClaim.gloss`: its text, the model that
made it and the quote it translates), shown marked as such, and never used as the quote:
answers and citations quote the article. A claim keeps its gloss from write to write
(and through `ingest --rebuild`) while its quote is the same; a failing model leaves
claims without one and the write goes on.
"""

import json
import logging
from collections.abc import Mapping, Sequence

from index.errors import LLMError
from index.llm_claims import chat_json
from index.prompts import render_prompt
from index.settings import Settings
from index.tracked import TrackedClaim

log = logging.getLogger(__name__)
GLOSS_BATCH = 20  # claims per request
MAX_GLOSS_CHARS = 2000  # a longer reply is no gloss of a claim


def add_glosses(
    settings: Settings, tracked: Sequence[TrackedClaim], kept: Mapping[str, dict[str, str]]
) -> str | None:
    """Give each claim not in English its gloss: the one an earlier ledger had for the same
    quote (`kept`: quote -> gloss), else a new one from the model. Returns a warning when
    the model failed."""
    wanted = [t for t in tracked if t.language != "en" and not t.english_gloss()]
    for t in wanted:
        t.gloss = kept.get(t.text, t.gloss)
    missing = [t for t in wanted if not t.english_gloss()]
    for start in range(0, len(missing), GLOSS_BATCH):
        batch = missing[start : start + GLOSS_BATCH]
        try:
            glosses = _ask(settings, [t.text for t in batch])
        except LLMError as exc:
            log.warning("%s; claims stay quoted as written", exc)
            return f"English glosses: {exc}; the claims stay quoted as written"
        for n, t in enumerate(batch, start=1):
            if glosses.get(n):
                t.gloss = {"text": glosses[n], "model": settings.llm_model, "source": t.text}
    return None


def _ask(settings: Settings, texts: list[str]) -> dict[int, str]:
    """The model's English for each numbered text (1-based); numbers it left out are absent."""
    claims = json.dumps(
        [{"n": n, "text": text} for n, text in enumerate(texts, start=1)], ensure_ascii=False
    )
    prompt = render_prompt(settings, "gloss_claims", claims=claims.replace("</claims>", ""))
    data = chat_json(settings, prompt, "LLM glosses")
    items = data.get("glosses") if isinstance(data, dict) else None
    found: dict[int, str] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        n, english = item.get("n"), item.get("english")
        if isinstance(n, int) and isinstance(english, str):
            english = " ".join(english.split())
            if english and len(english) <= MAX_GLOSS_CHARS and 1 <= n <= len(texts):
                found[n] = english
    return found
