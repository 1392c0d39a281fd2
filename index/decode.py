"""Bytes to text: encoding detection, binary rejection, mojibake repair, HTML to text.

Each reader of a format made by others (PDF, Word, HTML, the encoding detector) runs
inside `reading`: whatever a hostile or broken file makes it raise becomes an
ArticleError with a one-line reason, so one file is skipped and never stops the rest.
"""

import contextlib
import io
import re
import zipfile
from collections.abc import Iterator

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

    with reading("text file"):
        best = from_bytes(data).best()
    if best is None:
        raise ArticleError("not text in any known encoding")
    text = str(best)
    # Too many control characters means random bytes, whatever the detector guessed.
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t")
    if controls > len(text) / 100:
        raise ArticleError("binary file, not text")
    return text


@contextlib.contextmanager
def reading(kind: str) -> Iterator[None]:
    """Any failure of a reader on one file as an ArticleError that names the format: a
    broken or hostile file can make another's parser raise anything (lxml's XMLSyntaxError
    for a Word file with truncated XML). A reader out of memory is left to say so."""
    try:
        yield
    except (ArticleError, MemoryError):
        raise
    except Exception as exc:
        raise ArticleError(
            f"not a readable {kind} ({type(exc).__name__}): open it and save it again to index it"
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """Text UTF-8 can carry: each lone surrogate (a PDF's text layer, a feed's character
    reference may hold one) becomes U+FFFD, so every offset stays where it was."""
    return _SURROGATE.sub("\ufffd", text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp874 (`ยฉ` -> `©`), only where the strict round trip succeeds."""
    return repaired(text)[0]


def repaired(text: str) -> tuple[str, list[int]]:
    """`text` with each run of mojibake repaired on its own (a run that does not round-trip
    stays), and for each place in the repaired text the place in `text` it comes from
    (one more at the end): what is found in the repaired text is cut from `text` itself."""
    out: list[str] = []
    where: list[int] = []
    cursor = 0
    for match in _THAI_RUN.finditer(text):
        out.append(text[cursor : match.start()])
        where += range(cursor, match.start())
        run = match.group(0)
        try:
            fixed = run.encode("cp874").decode("utf-8")
        except UnicodeError:
            fixed = run
        out.append(fixed)
        # a repaired character stands for the whole of its run
        where += [match.start()] * len(fixed) if fixed != run else range(match.start(), match.end())
        cursor = match.end()
    out.append(text[cursor:])
    where += range(cursor, len(text) + 1)
    return "".join(out), where


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

    with reading("web page"):
        text = trafilatura.extract(
            html, output_format="txt", include_comments=False, include_tables=True, fast=True
        )
        found = trafilatura.extract_metadata(html)
    meta: dict[str, str] = {}
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
        with reading("web page"):
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

    with reading("PDF"):
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ArticleError("encrypted PDF: save a copy without a password to index it")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    text = "\n\n".join(_unwrap(page) for page in pages if page.strip())
    if not text.strip():
        raise ArticleError("PDF without a text layer (a scan?): run OCR on it to index it")
    return text, str(title).strip() if title else None


def docx_to_text(raw: bytes) -> tuple[str, str | None]:
    """The paragraphs of a Word document (python-docx), one a line, and its title; a file
    that would unpack to more than a Word article needs is refused before it is read."""
    import docx

    check_unpacked(raw, "Word document")
    with reading("Word document"):
        document = docx.Document(io.BytesIO(raw))
        lines = [p.text.strip() for p in document.paragraphs]
        title = (document.core_properties.title or "").strip() or None
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise ArticleError("empty file (no text)")
    return text, title


# What a zipped format (a Word file) may unpack to. Checked from the archive's directory
# before any part is read: zipfile never inflates a part past the size the directory gives
# (a lie fails its CRC), so these bound the memory a reader can be made to use. A news
# article's document.xml is well under a megabyte; its pictures are a few megabytes each.
MAX_UNPACKED_MB = 100  # all its parts together
MAX_XML_MB = 20  # any one XML part: python-docx makes an object of every paragraph in it
MAX_RATIO = 100  # how many times its packed size a part over a megabyte may unpack to
MAX_PARTS = 10_000


def check_unpacked(raw: bytes, kind: str) -> None:
    """ArticleError, with the reason, for an archive that would unpack to too much (a
    decompression bomb: 88 kB that inflate to 60 MB of empty paragraphs)."""
    with reading(kind):
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    total = sum(part.file_size for part in parts)
    problem = ""
    if len(parts) > MAX_PARTS:
        problem = f"holds {len(parts):,} parts (at most {MAX_PARTS:,})"
    elif total > MAX_UNPACKED_MB * 1_000_000:
        problem = f"unpacks to {total / 1e6:,.0f} MB (at most {MAX_UNPACKED_MB} MB)"
    for part in parts:
        if problem:
            break
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1_000_000 and ratio > MAX_RATIO:
            problem = f"has a part packed {ratio:,.0f} to 1 (a decompression bomb?)"
        elif part.filename.endswith(".xml") and part.file_size > MAX_XML_MB * 1_000_000:
            problem = (
                f"has {part.file_size / 1e6:,.0f} MB of XML in one part (at most {MAX_XML_MB} MB)"
            )
    if problem:
        raise ArticleError(
            f"a {kind} that {problem}: not read; save the article as text to index it"
        )
