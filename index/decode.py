"""Bytes to text: encoding detection, binary rejection, mojibake repair, HTML to text."""

import re

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

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
    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    body = soup.body or soup
    lines = (line.strip() for line in body.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line), title or None
