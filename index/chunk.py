"""Chunks: sentence-aligned pieces of an article's body, each with offsets into its text."""

import re
from dataclasses import dataclass

from index.article import Article
from index.decode import repair_mojibake
from index.sentences import split_sentences

# Bump when chunk boundaries change: the store refuses an index built by another version.
CHUNKER_VERSION = "1"

# Short forms Indonesian news uses for names the embedder knows better in full.
_EXPANSIONS = {
    "Korsel": "Korea Selatan",
    "Korut": "Korea Utara",
    "Sekjen": "Sekretaris Jenderal",
    "AS": "Amerika Serikat",
    "RI": "Republik Indonesia",
    "Menlu": "Menteri Luar Negeri",
    "Menhan": "Menteri Pertahanan",
    "Presdir": "Presiden Direktur",
    "Pemilu": "Pemilihan Umum",
    "KTT": "Konferensi Tingkat Tinggi",
}
_EXPAND = re.compile(r"\b(" + "|".join(_EXPANSIONS) + r")\b")


@dataclass(frozen=True)
class Chunk:
    """A passage of an article; `text` is exactly `article.text[start:end]`."""

    id: str
    doc_id: str
    source: str
    start: int
    end: int
    text: str
    seq: int


def searchable_text(text: str) -> str:
    """Text as the embedder and BM25 see it: mojibake repaired, short forms spelled out."""
    return _EXPAND.sub(lambda m: f"{m.group(1)} ({_EXPANSIONS[m.group(1)]})", repair_mojibake(text))


def chunk_article(article: Article, max_chars: int = 320) -> list[Chunk]:
    """Group each paragraph's sentences into chunks of at most about `max_chars`."""
    spans: list[tuple[int, int]] = []
    for para_start, para_end in article.body:
        group: tuple[int, int] | None = None
        for s, e in _hard_split(split_sentences(article.text, para_start, para_end), max_chars):
            if group and e - group[0] <= max_chars:
                group = (group[0], e)
            else:
                if group:
                    spans.append(group)
                group = (s, e)
        if group:
            spans.append(group)
    return [
        Chunk(
            id=f"{article.doc_id}:{s}-{e}",
            doc_id=article.doc_id,
            source=article.source,
            start=s,
            end=e,
            text=article.text[s:e],
            seq=i,
        )
        for i, (s, e) in enumerate(spans)
    ]


def _hard_split(spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Cut sentences far longer than a chunk (lists, run-on text) at spaces."""
    limit = max_chars * 3
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > limit:
            out.append((s, s + limit))
            s += limit
        out.append((s, e))
    return out
