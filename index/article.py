"""An article: the decoded text of one file, where its body is, and what it is."""

import bisect
import datetime
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.boilerplate import furniture_spans, is_boilerplate, strip_ads
from index.decode import (
    decode_bytes,
    docx_to_text,
    join_wrapped,
    news_page,
    pdf_to_text,
    repair_mojibake,
    repaired,
    valid_text,
)
from index.errors import ArticleError
from index.metadata import (
    UNKNOWN,
    detect_language,
    find_credits,
    find_outlet,
    is_date_line,
    is_headline,
    parse_date,
)

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
# Files whose text is extracted (the source view shows that text; the original is offered).
DOCUMENTS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_SIDECAR_KEYS = ("url", "title", "outlet", "date")


@dataclass(frozen=True)
class Article:
    """One source file. `text` is what every offset points into; `body` spans are evidence."""

    source: str  # the path as given to ingest
    path: str  # absolute path, for serving the file
    text: str
    sha: str
    body: tuple[tuple[int, int], ...]
    title: str = UNKNOWN
    outlet: str = UNKNOWN
    date: str = UNKNOWN
    language: str = UNKNOWN
    url: str = ""
    credits: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())  # sidecar values that were dropped

    @property
    def doc_id(self) -> str:
        """Opaque, stable id of the document: never a path."""
        return document_id(self.path)


def document_id(path: str) -> str:
    """Opaque id for an absolute path."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def file_sha(data: bytes) -> str:
    """Content hash used to skip unchanged files."""
    return hashlib.sha256(data).hexdigest()


def article_text(path: Path, raw: bytes) -> tuple[str, dict[str, str]]:
    """The text every offset points into (for HTML the page's main content, for PDF and
    Word their extracted text, any lone surrogate in it replaced) and what the file states
    about itself (title, and for news pages outlet, date, URL, author)."""
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx"):
        text, title = (pdf_to_text if suffix == ".pdf" else docx_to_text)(raw)
        return valid_text(text), {"title": title} if title else {}
    text = decode_bytes(raw)
    if suffix in (".html", ".htm"):
        text, stated = news_page(text)
        return valid_text(text), stated
    return join_wrapped(text), {}


MAX_TEXT_CHARS = 20_000_000  # of text once read: twice what the largest file allowed holds
Extract = Callable[[Path, bytes], tuple[str, dict[str, str]]]


def load_article(
    path: Path, source: str, data: bytes | None = None, extract: Extract = article_text
) -> Article:
    """Decode, clean and describe one file; raises ArticleError with a one-line reason.
    `extract` reads the file's format (in a worker process, when ingest gives one)."""
    if path.suffix.lower() not in SUFFIXES:
        raise ArticleError(f"unsupported file type {path.suffix or '(none)'}")
    raw = path.read_bytes() if data is None else data
    text, stated = extract(path, raw)
    if len(text) > MAX_TEXT_CHARS:
        raise ArticleError(
            f"{len(text):,} characters of text (at most {MAX_TEXT_CHARS:,}): split the file"
        )
    body, furniture, title, date = _read_lines(text)
    if not body:
        raise ArticleError("no article text left after removing boilerplate")
    first = text[body[0][0] : body[0][1]]
    head = " ".join(text[s:e] for s, e in body[:3])
    body_text = "\n".join(text[s:e] for s, e in body)
    meta = {
        "title": title or UNKNOWN,
        "outlet": find_outlet(furniture, first),
        "date": date or parse_date(head) or UNKNOWN,
        "url": "",
    }
    # What the file says about itself beats the guesses; the sidecar beats both.
    page, warnings = checked_metadata(stated, f"{path}: page")
    meta.update(page)
    sidecar, more = _read_sidecar(path)
    meta.update(sidecar)
    warnings += more
    # Article-wide credit is what a "Sumber:" line gives; passages carry their own.
    credits = find_credits("\n".join(furniture))
    return Article(
        source=source,
        path=str(path.resolve()),
        text=text,
        sha=file_sha(raw),
        body=tuple(body),
        language=detect_language(body_text),
        credits=tuple(credits),
        warnings=tuple(warnings),
        **meta,
    )


def _content_spans(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a line that are content: furniture cut out by its own edges (an ad
    marker, a credit, a "read also" link with its headline, a follow-us sentence), the
    sentences around it kept whole. Furniture is found in the line with its mojibake
    repaired ("Hak cipta ยฉ 2024." is a notice) and cut from the line as written."""
    clean, where = repaired(line)
    at = bisect.bisect_left(where, start), bisect.bisect_left(where, end)
    found = [(where[a], where[b]) for a, b in furniture_spans(clean, *at)]
    spans = []
    for a, b in _gaps(start, end, found):
        piece = line[a:b]
        if piece.strip(" .,;:-|"):
            a += len(piece) - len(piece.lstrip())
            b -= len(piece) - len(piece.rstrip())
            spans.append((a, b))
    return spans


def _only_notices(clean: str) -> bool:
    """A line (in its repaired form: ยฉ is ©) that holds nothing but furniture."""
    gaps = _gaps(0, len(clean), furniture_spans(clean, 0, len(clean)))
    return not any(clean[a:b].strip(" .,;:-|") for a, b in gaps)


def _gaps(start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) that the sorted `spans` do not cover."""
    gaps, cursor = [], start
    for a, b in spans:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def _read_lines(text: str) -> tuple[list[tuple[int, int]], list[str], str, str]:
    """Split lines into body spans and furniture; pick up a headline and a date line."""
    body: list[tuple[int, int]] = []
    furniture: list[str] = []
    title = date = ""
    title_span: tuple[int, int] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        start, end = strip_ads(line)
        content = line[start:end]
        clean = repair_mojibake(content).lstrip("#").strip()
        first_heading = not body and not title and content.startswith("#") and clean
        if first_heading:
            title = clean
        elif is_date_line(clean):
            date = date or (parse_date(clean) or "")
            furniture.append(clean)
        elif (
            is_boilerplate(clean)
            or _only_notices(clean)
            or not (pieces := _content_spans(line, start, end))
        ):
            furniture.append(repair_mojibake(line.strip()))
        elif not body and not title and is_headline(clean):
            title, title_span = clean, (offset + start, offset + end)
        else:
            furniture += [
                line[a:b].strip() for a, b in _gaps(start, end, pieces) if line[a:b].strip()
            ]
            body += [(offset + a, offset + b) for a, b in pieces]
        offset += len(line)
    if not body and title_span:  # a one-line text is its own body, not a headline
        body, title = [title_span], ""
    return body, furniture, title, date


MAX_SIDECAR_BYTES = 10_000_000  # read whole: bounded as an article is by default
# The longest value a sidecar may give for each key (plain text, one line).
_SIDECAR_LIMITS = {"url": 2_000, "title": 500, "outlet": 100, "date": 40}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain_text(value: str) -> str:
    """One line of plain text: control characters become spaces, the ends are trimmed."""
    return _CONTROL.sub(" ", value).strip()


def metadata_value(key: str, value: object) -> tuple[str, str]:
    """One title, outlet, date or URL value as plain text, and what is wrong with it ("" if
    nothing): not text, too long, not a real date, not an http(s) URL."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return "", f"is a {type(value).__name__}, not text"
    text = plain_text(str(value))
    if len(text) > _SIDECAR_LIMITS[key]:
        return "", f"is {len(text):,} characters (at most {_SIDECAR_LIMITS[key]:,})"
    if key == "date":
        text = _iso_date(text)
        return text, "" if text else "is not a real date (use YYYY-MM-DD)"
    if key == "url" and not re.match(r"https?://[^\s/]+", text):
        return "", "is not an http(s) URL"
    return text, ""


def checked_metadata(values: Mapping[str, object], where: str) -> tuple[dict[str, str], list[str]]:
    """The values for title, outlet, date and URL that are plain text of bounded length, a
    real ISO date, an http(s) URL; a one-line warning for each one dropped."""
    meta: dict[str, str] = {}
    warnings: list[str] = []
    for key in _SIDECAR_KEYS:
        value = values.get(key)
        if value is None or value == "":
            continue
        text, problem = metadata_value(key, value)
        if problem:
            warnings.append(f"{where} {key} {problem}; ignored")
        elif text:
            meta[key] = text
    return meta, warnings


def _read_sidecar(path: Path) -> tuple[dict[str, str], list[str]]:
    """Metadata from `name.json` beside the article, when the user's scraper wrote one, and
    a warning for each value dropped: not a string or number, too long, not a real ISO date,
    a URL that is not http(s). A dropped value never reaches the index or the exports."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}, []
    try:
        size = sidecar.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise ArticleError(
                f"sidecar {sidecar.name} is {size:,} bytes (at most {MAX_SIDECAR_BYTES:,}): "
                "keep only url, title, outlet and date in it"
            )
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    # (a number of 5,000 digits is a ValueError; a thousand nested brackets a RecursionError)
    except (OSError, UnicodeError, ValueError, RecursionError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ArticleError(f"sidecar {sidecar.name} is not valid JSON ({reason})") from None
    if not isinstance(data, dict):
        raise ArticleError(f"sidecar {sidecar.name} must hold a JSON object")
    return checked_metadata(data, f"{path}: sidecar")


def _iso_date(text: str) -> str:
    """A real calendar date as YYYY-MM-DD (from an ISO date or timestamp), or ""."""
    parsed = parse_date(text) or text[:10]
    try:
        return datetime.date.fromisoformat(parsed).isoformat()
    except ValueError:
        return ""
