"""Checking a model's citations against the passages it was given.

Markers that point at no passage are dropped; quoted phrases that are not in the cited
passage are flagged; links and images the model wrote are removed (links come only from
the index).
"""

import re
from dataclasses import dataclass, field

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_QUOTE = re.compile(r"[\"“]([^\"“”\n]{12,}?)[\"”]")
# Model output is untrusted: nothing in it may load, link or run. Links come from the index.
_BLOCK = re.compile(
    r"<(script|style|iframe|object|embed|svg|math|template|textarea)\b.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_BRACKETED = r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"  # [text], one level of [n] inside
_IMAGE = re.compile(r"!" + _BRACKETED + r"\([^)\n]*\)?")
_LINK = re.compile(_BRACKETED + r"\([^)\n]*\)?")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.MULTILINE)  # [id]: url "title"
_URL = re.compile(
    r"\b[a-z][a-z0-9+.-]*://[^\s<>\[\]()]*|\bwww\.[^\s<>\[\]()]+|(?<![\w:/])//\w[^\s<>\[\]()]*",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_TAG_START = re.compile(r"<(?=[/!?a-zA-Z])")  # what is left of a tag that never closed
_BLANKS = re.compile(r"[ \t]{2,}")
_MARKERS_ONLY = re.compile(r"\s*\d+(?:\s*[,;]\s*\d+)*\s*")
_SPACE = re.compile(r"\s+")
UNVERIFIED = " [unverified quote]"
# How far after a quote its marker may stand and still be its citation.
_MARKER_REACH = 80


@dataclass
class CheckedText:
    """Model text after checking: kept markers, and what a human should look at."""

    text: str
    cited: list[int] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _normalise(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return _SPACE.sub(" ", text).strip().casefold()


def _link_text(match: re.Match[str]) -> str:
    """A link becomes its text; `[1](...)` stays a marker, to be checked like any other."""
    text = match.group(1)
    return f"[{text}]" if _MARKERS_ONLY.fullmatch(text) else text


def strip_active_content(text: str) -> str:
    """Remove images, links, URLs and HTML from model output; a stray `<` is defused."""
    text = _TAG.sub("", _COMMENT.sub("", _BLOCK.sub("", text)))
    text = _LINK.sub(_link_text, _IMAGE.sub("", _REFERENCE.sub("", text)))
    text = _TAG_START.sub("‹", _URL.sub("[link removed]", text))
    return _BLANKS.sub(" ", text)


def check_citations(text: str, passages: list[str]) -> CheckedText:
    """Drop markers outside 1..len(passages); flag quotes not found in their passage."""
    result = CheckedText(text="")

    def keep(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        good = [n for n in numbers if 1 <= n <= len(passages)]
        for n in numbers:
            if n not in good:
                result.flags.append(f"dropped citation [{n}]: no such passage was retrieved")
        result.cited.extend(n for n in good if n not in result.cited)
        return "".join(f"[{n}]" for n in good)

    text = _MARKER.sub(keep, strip_active_content(text))
    result.text = _flag_quotes(text, passages, result.flags)
    return result


def _flag_quotes(text: str, passages: list[str], flags: list[str]) -> str:
    pieces: list[str] = []
    cursor = 0
    for match in _QUOTE.finditer(text):
        after = text[match.end() : match.end() + _MARKER_REACH]
        sentence_rest = re.split(r"[.!?\n]", after, maxsplit=1)[0]
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", sentence_rest)]
        sources = [passages[n - 1] for n in markers] or passages
        phrase = _normalise(match.group(1)).strip(" .,;:")
        pieces.append(text[cursor : match.end()])
        if not any(phrase in _normalise(s) for s in sources):
            flags.append(f'unverified quote: "{match.group(1)}" is not in the cited passage')
            pieces.append(UNVERIFIED)
        cursor = match.end()
    pieces.append(text[cursor:])
    return "".join(pieces)
