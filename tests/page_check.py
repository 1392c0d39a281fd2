"""What in an answer's markdown would act in the page: links, images, HTML, bare URLs.

The markdown is parsed as CommonMark with raw HTML on (the strictest reading). Bare URLs are
looked for in the markdown source: the page's GFM renderer turns `https://...`, `www.` and
e-mail addresses written in plain text into live links, unless a backslash breaks them.
"""

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

OWN_LINK = re.compile(
    r"/source/(?P<doc_id>[0-9a-f]{16})\?start=(?P<start>\d+)&end=(?P<end>\d+)#cited"
)
BARE_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+\.\w+", re.IGNORECASE)


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def links(markdown: str) -> list[str]:
    """Every link target in the markdown."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [str(t.attrs["href"]) for t in _walk(tokens) if t.type == "link_open"]


def active_parts(markdown: str) -> list[str]:
    """Everything that would link outside, load, or run; [] for an inert answer."""
    found = [f"bare url {m!r}" for m in BARE_URL.findall(markdown)]
    for token in _walk(MarkdownIt("commonmark").parse(markdown)):
        if token.type in ("html_inline", "html_block"):
            found.append(f"html {token.content!r}")
        elif token.type == "image":
            found.append(f"image {token.attrs.get('src')!r}")
        elif token.type == "link_open" and not OWN_LINK.fullmatch(str(token.attrs["href"])):
            found.append(f"link {token.attrs['href']!r}")
    return found
