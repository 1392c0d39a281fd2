"""Which lines of a news page are site furniture rather than article text.

A line is judged as a whole; a body sentence that merely contains a word such as "juga"
or "Google" stays, only the shapes below are dropped.
"""

import re

_AD = re.compile(r"\b(?:ADVERTISEMENT|ADVERTORIAL|SCROLL TO CONTINUE WITH CONTENT|IKLAN)\b")
# Shapes that are furniture wherever they stand.
_ALWAYS = [
    r"^(?:baca|lihat|simak|read|see)\s+(?:juga|pula|also|more)\b\s*[:\-]?",
    r"^(?:artikel|berita)\s+terkait\s*:?",
    r"^waktu baca\b",
    r"^\d+\s+min(?:ute)?s?\s+read$",
    r"^(?:version|versi|ver\.?|v)\s*\d+(?:\.\d+)+$",
    r"^(?:sumber|source|editor|pewarta|penulis|reporter|penerjemah|foto|copyright)\s*:",
]
# Shapes that are furniture only on a short line; a long sentence using these words is text.
_SHORT = [
    r"google\s+news",
    r"^(?:jangan lupa\s+)?(?:ikuti|follow|subscribe|download|unduh|dapatkan|gabung|join)\b.*"
    r"(?:channel|whatsapp|telegram|instagram|twitter|facebook|youtube|tiktok|aplikasi|app|"
    r"update|berita|newsletter|news)\b",
    r"^cek berita\b",
    r"\bklik\s*:",
    r"^(?:viral|promo|info lebih lengkap)\b.*\b(?:klik|daftar|kunjungi)\b",
    r"^(?:share|bagikan)\b",
    # (a "© 2024 Outlet" notice is cut out of its line by _INLINE, keeping the text around it)
    r"^copyright\s+\d{4}|all rights reserved|hak cipta dilindungi",
]
_SHORT_WORDS = 30


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_ALWAYS_RE = _compile(_ALWAYS)
_SHORT_RE = _compile(_SHORT)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def strip_ads(line: str) -> tuple[int, int]:
    """Span of `line` left after trimming advertisement tokens glued to either end."""
    start, end = 0, len(line)
    for match in _AD.finditer(line):
        if not line[start : match.start()].strip():
            start = match.end()
        elif not line[match.end() : end].strip():
            end = match.start()
            break
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def is_boilerplate(line: str) -> bool:
    """True when a line (ads already trimmed) is furniture, not article text."""
    text = line.strip()
    if not text or not _HAS_LETTER.search(text):
        return True
    words = text.split()
    if _ALWAYS_RE.search(text) or (len(words) <= _SHORT_WORDS and _SHORT_RE.search(text)):
        return True
    # a site menu run together: "Tentang KamiPedoman Media SiberKetentuan ..."
    if len(_CAMEL_JOIN.findall(text)) >= 3 and not _SENTENCE_END.search(text):
        return True
    # a short fragment with no sentence ending: "Google News", "Cek Berita ... di"
    return len(words) < 4 and not _SENTENCE_END.search(text)


# Furniture with edges of its own, wherever it stands inside a line of text.
_INLINE = re.compile(
    r"\b(?:ADVERTISEMENT|ADVERTORIAL|SCROLL TO CONTINUE WITH CONTENT)\b:?"
    r"|\(?\b(?:Foto|Photo|Gambar|Image)\s*:\s*[\w .,&'/-]*?/[\w .,&'-]+\)?(?=\s*$)"
    r"|\((?:Foto|Photo)\s*:[^()]{1,80}\)"
    r"|(?:©|\(c\)|Copyright\s*©?)\s*\d{4}\s+[\w.-]+(?:\s+[A-Z][\w.-]*)?"
    r"(?:\.?\s*All rights reserved\.?|\.(?=\s|$))?"
    r"|\b\d{4}\s*©\s*[\w.-]+(?:\s+[A-Z][\w.-]*){0,3}"
)


def inline_furniture(line: str) -> list[tuple[int, int]]:
    """Spans of furniture inside a line that is otherwise text: ad markers, photo credits,
    copyright notices."""
    return [m.span() for m in _INLINE.finditer(line)]
