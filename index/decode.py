"""Bytes to text: encoding detection, binary rejection, mojibake repair, HTML to text."""

import io
import re

from index.errors import ArticleError

# Magic numbers of common binary formats that are sometimes renamed to .txt.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")
# Runs of Thai letters: UTF-8 bytes of Latin punctuation decoded as cp874 (`ยฉ` is `©`).
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_HTML_DROP = ("script", "style", "noscript", "template", "svg", "nav", "footer", "header", "aside")


def decode_bytes(data: bytes) -> str:
    """Decode a text file's bytes, refusing binary data and detecting the encoding."""
    if not data.strip():
        raise ArticleError("empty file (no text)")
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise ArticleError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # here: readers import this module, never call it

    best = from_bytes(data).best()
    if best is None:
        raise ArticleError("not text in any known encoding")
    text = str(best)
    # Too many control characters means random bytes, whatever the detector guessed.
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t")
    if controls > len(text) / 100:
        raise ArticleError("binary file, not text")
    return text


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp874 (`ยฉ` -> `©`), only where the strict round trip succeeds."""

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            return run.encode("cp874").decode("utf-8")
        except UnicodeError:
            return run

    return _THAI_RUN.sub(fix, text)


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, one block per line, and its <title> if any."""
    from bs4 import BeautifulSoup  # here: a tenth of a second at every reader's start

    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    body = soup.body or soup
    lines = (line.strip() for line in body.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line), title or None


def news_page(html: str) -> tuple[str, dict[str, str]]:
    """A saved news page: its main content (trafilatura, made for news pages: navigation,
    related lists, comments and cookie banners stay out), one paragraph a line, and what
    the page states about itself (title, outlet, date, URL, author: og:*, article:*,
    canonical link, JSON-LD NewsArticle). A page trafilatura finds no article in is read
    as its visible text."""
    import trafilatura

    text = trafilatura.extract(
        html, output_format="txt", include_comments=False, include_tables=True, fast=True
    )
    meta: dict[str, str] = {}
    found = trafilatura.extract_metadata(html)
    if found is not None:
        for key, value in (
            ("title", found.title),
            ("outlet", found.sitename),
            ("date", found.date),
            ("url", found.url),
            ("author", found.author),
        ):
            if value:
                meta[key] = str(value).strip()
    if not text or not text.strip():
        text, title = html_to_text(html)
        if title and "title" not in meta:
            meta["title"] = title
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line), meta


_SENTENCE_END = re.compile(r"[.!?:;\"”’)]\s*$")


def _goes_on(line: str, following: str, width: int) -> bool:
    """A wrapped line (of a page whose longest line is `width`) that goes on in the next:
    it does not end a sentence, and it is not a short line before one that opens with a
    capital (a heading, a dateline)."""
    line, following = line.strip(), following.lstrip()
    heading = len(line) < 0.6 * width and following[:1].isupper()
    return not _SENTENCE_END.search(line) and not heading


def _unwrap(page: str) -> str:
    """A PDF page's lines as paragraphs: a line that does not end a sentence goes on in the
    next one, so chunks and quotes never start in the middle of a sentence. A short line
    before one that opens with a capital (a heading, a dateline) stands alone."""
    lines = [line.strip() for line in page.splitlines()]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for n, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        current = f"{current} {line}" if current else line
        following = next((x for x in lines[n + 1 :] if x), "")
        if not _goes_on(line, following, width):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


_WRAP_WIDTH = 120  # text hard-wrapped by an editor or a mailer: no line longer than this
_NOT_GOING_ON = re.compile(r"\s*(?:[-*•#>|]|\d+[.)]\s)")  # a list item, a heading, a quote


def join_wrapped(text: str) -> str:
    """Hard-wrapped text with each wrap turned into a space, so a paragraph is one line
    and chunks and quotes start and end at sentences, not at the wrap: the PDF rule
    (`_unwrap`), kept to the same length so every offset still points where it did in
    the file. Only where every line is short enough to be wrapped; a line that does not
    go on (`_goes_on`), and a line before a blank line, a list item or a heading end where
    they are."""
    lines = text.splitlines(keepends=True)
    width = max((len(line.rstrip()) for line in lines), default=0)
    if width > _WRAP_WIDTH:
        return text
    out = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        body = line.rstrip("\r\n")
        goes_on = (
            line[len(body) :] == "\n"
            and body.strip()
            and following.strip()
            and _goes_on(body, following, width)
            and not _NOT_GOING_ON.match(following)
        )
        out.append(body + " " if goes_on else line)
    return "".join(out)


def pdf_to_text(raw: bytes) -> tuple[str, str | None]:
    """The text layer of a PDF (pypdf), one paragraph a line, and its title; encrypted and
    image-only PDFs are refused with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ArticleError("encrypted PDF: save a copy without a password to index it")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ArticleError(f"not a readable PDF ({type(exc).__name__})") from None
    text = "\n\n".join(_unwrap(page) for page in pages if page.strip())
    if not text.strip():
        raise ArticleError("PDF without a text layer (a scan?): run OCR on it to index it")
    return text, str(title).strip() if title else None


def docx_to_text(raw: bytes) -> tuple[str, str | None]:
    """The paragraphs of a Word document (python-docx), one a line, and its title."""
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArticleError(f"not a readable Word document ({type(exc).__name__})") from None
    lines = [p.text.strip() for p in document.paragraphs]
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise ArticleError("empty file (no text)")
    return text, (document.core_properties.title or "").strip() or None
