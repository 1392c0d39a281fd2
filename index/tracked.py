"""The claim ledger's records: a tracked claim, its appearances, and the kinds of link.

Built on the write path (index/ledger.py), read on the read path (bot/ledger.py). The
write path also saves the built ledger with its claims' vectors (`save_ledger`), so a
reader loads it at start instead of building it at its first answer.
"""

import contextlib
import gc
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from index.embed import Vectors
from index.files import write_atomically

DISPUTES, DISPUTED_BY = "disputes", "disputed by"
RESPONDS_TO, RESPONDED_BY = "responds to", "responded to by"


@dataclass(frozen=True, slots=True)
class Appearance:
    """One report of a claim: where, when, by whom credited, and the exact span."""

    claim_id: str
    source: str
    doc_id: str
    outlet: str
    date: str
    start: int
    end: int
    quote: str
    credited_to: str
    kind: str
    verb: str
    url: str = ""  # the article's URL, when its sidecar gives one
    speaker: str = ""  # the speaker as this article names them ("Korut", "Stoltenberg")
    language: str = ""  # the article's language (ISO 639-1); "" in ledgers from before


@dataclass(slots=True)
class TrackedClaim:
    """One claim with every appearance, its flags and its links to other claims."""

    id: str
    speaker: str
    role: str
    kind: str
    text: str
    appearances: list[Appearance]
    outlets: int = 1
    flags: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the speaker's other names
    language: str = ""  # of the claim as quoted (its first appearance's article)
    # An English gloss made by the LLM at ingest: {"text", "model", "source"} (the quote it
    # translates); empty offline. A machine translation, never shown or used as the quote.
    gloss: dict[str, str] = field(default_factory=dict)

    @property
    def first_appearance(self) -> Appearance:
        return self.appearances[0]

    def reports(self) -> list[Appearance]:
        """The appearances one per article, in order: a report over two sentences of one
        article (two appearances) is listed once, its span running over both."""
        by_doc: dict[str, Appearance] = {}
        for a in self.appearances:
            seen = by_doc.get(a.doc_id)
            if seen is None:
                by_doc[a.doc_id] = a
            else:
                start, end = min(seen.start, a.start), max(seen.end, a.end)
                parts = sorted([seen, a], key=lambda x: x.start)
                quote = " ".join(p.quote for p in parts)
                by_doc[a.doc_id] = replace(seen, start=start, end=end, quote=quote)
        return list(by_doc.values())

    def english_gloss(self) -> str:
        """The gloss of this claim's quote, when there is one made for it as it is now."""
        return self.gloss.get("text", "") if self.gloss.get("source") == self.text else ""

    def languages(self) -> list[str]:
        """The languages of its reports, in the order they appeared."""
        return list(dict.fromkeys(a.language for a in self.appearances if a.language))

    @property
    def disputed(self) -> bool:
        return any(link["kind"] in (DISPUTES, DISPUTED_BY) for link in self.links)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "role": self.role,
            "text": self.text,
            "kind": self.kind,
            "outlets": self.outlets,
            "disputed": self.disputed,
            # Every link is the ledger's inference from the articles, never their own words.
            "dispute_inferred": self.disputed,
            "flags": self.flags,
            "links": [{**link, "inferred": True} for link in self.links],
            "aliases": self.aliases,
            "language": self.language,
            # Reports in several languages are one claim by the ledger's inference (their
            # words cannot be compared), never by the articles' own words.
            "languages": self.languages(),
            "joined_across_languages_inferred": len(self.languages()) > 1,
            "gloss": gloss_json(self),
            "first_appearance": appearance_json(self.first_appearance),
            "appearances": [appearance_json(a) for a in self.reports()],
        }


def gloss_json(t: TrackedClaim) -> dict[str, Any] | None:
    """The English gloss, marked as a machine translation; None when there is none."""
    text = t.english_gloss()
    if not text:
        return None
    return {"text": text, "model": t.gloss.get("model", ""), "machine_translation": True}


def appearance_json(a: Appearance) -> dict[str, Any]:
    return {
        "source": a.source,
        "outlet": a.outlet,
        "date": a.date,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "credited_to": a.credited_to,
        "url": a.url,
        "language": a.language,  # each report quoted in its own language
    }


LEDGER_FILE = "ledger.json"
GENERATION_FILE = "generation"  # the saved ledger's store generation, to check it cheaply


class _Saved(msgspec.Struct):
    """`ledger.json` as `save_ledger` writes it."""

    generation: str
    vectors: str
    ids: list[str]
    tracked: list[TrackedClaim]


_SAVED = msgspec.json.Decoder(_Saved)


def ledger_dir(data_dir: Path) -> Path:
    return data_dir / "ledger"


def save_ledger(
    folder: Path, tracked: list[TrackedClaim], vectors: Mapping[str, Vectors], generation: str
) -> None:
    """The built ledger and its appearances' vectors, for the store generation it reflects.

    The vectors go to a file named by the generation; `ledger.json`, which names it, is
    replaced last, so a reader sees the old ledger or the new one, never half of each.
    """
    folder.mkdir(parents=True, exist_ok=True)
    # In appearance order: a reader then takes the matrix as it is, without a copy.
    ids = list(dict.fromkeys(a.claim_id for t in tracked for a in t.appearances))
    name = f"vectors-{generation or 'none'}.npy"
    rows = [np.asarray(vectors[i], np.float32) for i in ids]
    body = {
        "generation": generation,
        "vectors": name,
        "ids": ids,
        "tracked": tracked,  # msgspec writes the records' fields, as `_SAVED` reads them
    }
    matrix = io.BytesIO()
    np.save(matrix, np.stack(rows) if rows else np.zeros((0, 0), np.float32))
    before = saved_generation(folder)
    try:
        write_atomically(folder / name, matrix.getvalue())
        write_atomically(folder / LEDGER_FILE, msgspec.json.encode(body))
    except BaseException:  # a full disk: the saved ledger stays the previous one, whole
        if before != generation:
            (folder / name).unlink(missing_ok=True)
        raise
    write_atomically(folder / GENERATION_FILE, generation.encode("utf-8"))
    for stale in folder.glob("vectors-*.npy"):
        if stale.name != name:
            with contextlib.suppress(OSError):
                stale.unlink()


GROUPING_FILE = "grouping.json"


@dataclass
class Grouping:
    """What the write path keeps to add claims to a saved ledger without rebuilding it:
    the speaker names, and how many claims hold each content word."""

    generation: str  # the store generation of the ledger it goes with
    speakers: list[str]  # every speaker name as extracted (one speaker is found anew)
    words: dict[str, int]  # content word -> the claims whose text holds it
    claims: int
    # the grouping bars it was built with (index/calibration.py): other bars rebuild it
    bars: dict[str, float | None] = field(default_factory=dict)


def save_grouping(folder: Path, grouping: Grouping) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = json.dumps(vars(grouping), ensure_ascii=False).encode()
    write_atomically(folder / GROUPING_FILE, body)


def load_grouping(folder: Path) -> Grouping | None:
    """The saved grouping state; None when there is none or it cannot be read."""
    try:
        return Grouping(**json.loads((folder / GROUPING_FILE).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def saved_generation(folder: Path) -> str | None:
    """The store generation of the saved ledger, without reading the ledger; None if unknown."""
    try:
        return (folder / GENERATION_FILE).read_text("utf-8")
    except OSError:
        return None


def load_ledger(folder: Path) -> tuple[str, list[TrackedClaim], "VectorTable"] | None:
    """The saved ledger: its generation, tracked claims and vectors; None if there is none.

    The vectors are mapped from their file, not read: pages come in as lookups touch them.
    """
    # Decoded straight into the records (msgspec: one pass in C, no dict per record first;
    # a third of what json.loads and then constructing them took at 100k chunks). The
    # collector stays off while its tens of thousands of small objects are made: it would
    # walk them all over and over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        body = _SAVED.decode((folder / LEDGER_FILE).read_bytes())
        matrix = np.load(folder / body.vectors, mmap_mode="r")
        if len(body.ids) != len(matrix):
            return None
    except (OSError, ValueError, msgspec.MsgspecError):
        return None
    finally:
        if collecting:
            gc.enable()
    return body.generation, body.tracked, VectorTable(body.ids, matrix)


class VectorTable(Mapping[str, Vectors]):
    """Claim vectors as rows of one matrix, looked up by claim id."""

    def __init__(self, ids: list[str], matrix: np.ndarray) -> None:
        self.matrix = matrix
        self._row = {claim_id: n for n, claim_id in enumerate(ids)}

    def __getitem__(self, claim_id: str) -> Vectors:
        row: Vectors = self.matrix[self._row[claim_id]]
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)

    def rows(self, ids: list[str]) -> np.ndarray:
        """The rows of `ids` as one matrix; the mapped matrix itself when that is all of it
        in order (as `save_ledger` writes it)."""
        order = [self._row[i] for i in ids]
        if order == list(range(len(self.matrix))):
            return self.matrix
        return np.asarray(self.matrix[order], np.float32)
