"""Per-article metadata read from the text: title, outlet, date, language, credits."""

import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import py3langid
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from index.files import atomic_file, write_atomically

UNKNOWN = "unknown"

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "aug", "agt"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov", "nop"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_LINE = re.compile(
    rf"^\W*(?:\w+,\s*)?(?:\d{{1,2}}\s+(?:{_MONTH})\.?\s+\d{{4}}|(?:{_MONTH})\.?\s+\d{{1,2}},?\s+"
    rf"\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})(?:[\s,|-]+\d{{1,2}}[:.]\d{{2}}(?:\s*(?:WIB|WITA|WIT|GMT|"
    rf"UTC)[+\d:]*)?)?\W*$",
    re.IGNORECASE,
)
# "London (ANTARA) -": a city, the outlet in brackets, a dash.
_DATELINE = re.compile(r"^\s*[A-Z][\w .'-]{1,40}?\s*\(([A-Za-z][\w .&-]{1,30})\)\s*[-–—]")
# The verb is matched in any case, the credited name only when capitalised.
_CREDIT = re.compile(
    r"(?i:dikutip dari|mengutip|dilansir dari|seperti dilansir|dilansir|melansir|sumber\s*:|"
    r"source\s*:|according to|as reported by|reported by|citing)[ \t]+"
    r"((?:[A-Z][\w.&'-]*)(?:[ \t]+[A-Z][\w.&'-]*){0,3})"
)
# Outlets recognisable in a page's own furniture (menus, footers, follow-us lines).
KNOWN_OUTLETS = {
    "antara": "ANTARA",
    "antaranews": "ANTARA",
    "bbc": "BBC",
    "beritasatu": "Beritasatu",
    "cnbcindonesia": "CNBC Indonesia",
    "cnnindonesia": "CNN Indonesia",
    "detik": "detikcom",
    "detikcom": "detikcom",
    "idntimes": "IDN Times",
    "jawapos": "Jawa Pos",
    "jpnn": "JPNN",
    "kompas": "Kompas",
    "kumparan": "kumparan",
    "liputan6": "Liputan6",
    "medcom": "Medcom",
    "merdeka": "Merdeka.com",
    "metrotvnews": "Metro TV",
    "okezone": "Okezone",
    "republika": "Republika",
    "sindonews": "SINDOnews",
    "suara": "Suara.com",
    "tempo": "Tempo",
    "thejakartapost": "The Jakarta Post",
    "tirto": "Tirto",
    "tribunnews": "Tribunnews",
    "viva": "VIVA",
    "voaindonesia": "VOA Indonesia",
}
_OUTLET_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.(?:co\.id|com|id|net|org))?")
_CAMEL_JOIN = re.compile(r"([a-z])([A-Z])")
_HEADLINE_END = re.compile(r"[.!?,;:]\s*$")


def parse_date(text: str) -> str | None:
    """First full date in `text` as YYYY-MM-DD (Indonesian or English month names)."""
    found: list[tuple[int, str]] = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        found.append((m.start(), _iso(m.group(3), _MONTHS[m.group(2).lower()], m.group(1))))
    for m in _MONTH_DAY_YEAR.finditer(text):
        found.append((m.start(), _iso(m.group(3), _MONTHS[m.group(1).lower()], m.group(2))))
    for m in _ISO_DATE.finditer(text):
        found.append((m.start(), _iso(m.group(1), int(m.group(2)), m.group(3))))
    valid = [(pos, iso) for pos, iso in found if iso]
    return min(valid)[1] if valid else None


def _iso(year: str, month: int, day: str) -> str:
    if not (1 <= month <= 12 and 1 <= int(day) <= 31):
        return ""
    return f"{int(year):04d}-{month:02d}-{int(day):02d}"


def is_date_line(line: str) -> bool:
    """True for a line that holds only a date (and perhaps a time)."""
    return bool(_DATE_LINE.match(line.strip()))


def is_headline(line: str) -> bool:
    """A title-like line: a few words, no sentence punctuation at its end."""
    words = line.split()
    return 3 <= len(words) <= 25 and not _HEADLINE_END.search(line) and not line.startswith('"')


def find_outlet(furniture: Sequence[str], first_line: str) -> str:
    """The outlet, from a dateline ("London (ANTARA) -") or the page's own furniture."""
    dateline = _DATELINE.match(first_line)
    if dateline:
        return canonical_outlet(dateline.group(1))
    for line in reversed(furniture):  # footers name the site more reliably than menus
        # menus run words together: "Cara Menulis di kumparanInformasi"
        for token in _OUTLET_TOKEN.findall(_CAMEL_JOIN.sub(r"\1 \2", line)):
            name = KNOWN_OUTLETS.get(token.split(".")[0].lower())
            if name:
                return name
    return UNKNOWN


def canonical_outlet(name: str) -> str:
    """Display name of an outlet: "Medcom.id" -> "Medcom", "antara" -> "ANTARA"."""
    key = name.strip().split(".")[0].lower().replace(" ", "")
    return KNOWN_OUTLETS.get(key, name.strip())


def find_credits(text: str) -> list[str]:
    """Wires or outlets a passage is credited to ("dikutip dari AFP" -> ["AFP"])."""
    names: list[str] = []
    for m in _CREDIT.finditer(text):
        name = m.group(1).strip(" .,")
        if name not in names:
            names.append(name)
    return names


_MODEL: list[LanguageIdentifier] = []
_MODEL_LOCK = threading.Lock()
_ARRAYS = ("ptc", "pc", "nextmove", "row", "output")  # as LanguageIdentifier takes them


def language_model_dir(data_dir: Path) -> Path:
    return data_dir / "langid"


def _model_stamp() -> str:
    """Which language model is installed: py3langid's version and its model file's size."""
    return f"py3langid {py3langid.__version__}, {(MODEL_DIR / MODEL_FILE).stat().st_size} B"


def _arrays(model: LanguageIdentifier) -> dict[str, np.ndarray]:
    """The model's arrays as `save_language_model` writes them (no copies where they are
    arrays already)."""
    return {
        "ptc": np.asarray(model.nb_ptc),
        "pc": np.asarray(model.nb_pc),
        "nextmove": np.asarray(model.tk_nextmove, dtype=np.uint32),
        "row": np.asarray(model.tk_row, dtype=np.uint16),
        "output": np.asarray(model.tk_output, dtype=np.int32),
    }


def language_model_mb() -> float:
    """Megabytes the unpacked language model takes on disk (`save_language_model`)."""
    return sum(a.nbytes for a in _arrays(_identifier()).values()) / 1_000_000


def save_language_model(folder: Path) -> None:
    """Write the language model unpacked, as plain arrays, unless already there: readers
    then map it from disk (no 0.7 s unpack, its pages shared between processes) instead of
    unpacking 70 MB into each process. Written from the model this process already holds
    (ingest detects each article's language with it), straight to the files: no second
    copy in memory. The manifest goes last: a folder without it, with another model's or
    with a damaged array is ignored, and written again here."""
    if open_language_model(folder) is not None:
        return
    model = _identifier()
    arrays = _arrays(model)
    folder.mkdir(parents=True, exist_ok=True)
    for name in _ARRAYS:
        with atomic_file(folder / f"{name}.npy") as out:
            np.save(out, arrays[name], allow_pickle=False)
    manifest = {"model": _model_stamp(), "classes": list(model.nb_classes)}
    write_atomically(folder / "model.json", json.dumps(manifest).encode())


def open_language_model(folder: Path) -> LanguageIdentifier | None:
    """The model saved in `folder` by `save_language_model`, mapped from its files; None when
    it is absent, partial or another model's."""
    try:
        manifest = json.loads((folder / "model.json").read_bytes())
        if manifest["model"] != _model_stamp():
            return None
        arrays = {n: np.load(folder / f"{n}.npy", mmap_mode="r") for n in _ARRAYS}
        return LanguageIdentifier(
            arrays["ptc"],
            arrays["pc"],
            list(manifest["classes"]),
            memoryview(arrays["nextmove"]),  # indexed one state at a time: Python ints
            memoryview(arrays["output"]),
            norm_probs=True,
            tk_row=memoryview(arrays["row"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _identifier(folder: Path | None = None) -> LanguageIdentifier:
    """The language model, loaded on first use (not at import): mapped from `folder` when the
    write path saved it there, else unpacked from py3langid's file (0.7 s). Under a lock, so
    a thread loading it ahead (`load_language_model`) and a first question never load it
    twice."""
    with _MODEL_LOCK:
        if not _MODEL:
            mapped = open_language_model(folder) if folder else None
            _MODEL.append(mapped or LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
        return _MODEL[0]


def load_language_model(data_dir: Path | None = None) -> None:
    """Load the language model now (a server starting loads it beside its other work),
    from the unpacked copy in `data_dir` when there is one."""
    _identifier(language_model_dir(data_dir) if data_dir else None)


def detect_language(text: str, choices: Sequence[str] = (), default: str = "en") -> str:
    """ISO 639-1 code of `text`; with `choices`, the likeliest of those (else `default`)."""
    ranked = _identifier().rank(text[:5000])
    if choices:
        ranked = [(lang, p) for lang, p in ranked if lang in choices]
        total = sum(p for _, p in ranked) or 1.0
        lang, p = ranked[0]
        return lang if p / total >= 0.75 else default
    return str(ranked[0][0])
