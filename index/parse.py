"""The parse step of ingest: one file read, cleaned, chunked, with its claims found.

It runs in worker processes for large runs, so it takes only picklable arguments and
returns a `Parsed` that says what happened instead of raising for a bad file.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from index.article import Article, article_text, file_sha, load_article
from index.chunk import Chunk, chunk_article, searchable_text
from index.claims import Claim, extract_claims, said_text
from index.embed import Vectors
from index.errors import ArticleError, LLMError
from index.llm_claims import ask_for_claims, verified_claims
from index.sandbox import Sandbox
from index.settings import Settings


@dataclass
class Parsed:
    """One file after the parse step: an article ready to embed, unchanged, or an error."""

    source: str
    sha: str = ""
    article: Article | None = None
    chunks: list[Chunk] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def content(self) -> str:
        """Hash of the article's body text: the same story under other boilerplate matches."""
        body = " ".join(" ".join(c.text.split()) for c in self.chunks)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    def texts(self) -> list[str]:
        """What to embed: every chunk, then each claim that is not exactly a chunk, then
        what each claim says (its content spans) where that is not the whole claim."""
        return (
            [searchable_text(c.text) for c in self.chunks]
            + [searchable_text(c.text) for c in self._own_claims()]
            + [searchable_text(said_text(c.text)) for c in self._said_apart()]
        )

    def _own_claims(self) -> list[Claim]:
        spans = {(c.start, c.end) for c in self.chunks}
        return [c for c in self.claims if (c.start, c.end) not in spans]

    def _said_apart(self) -> list[Claim]:
        """The claims whose said text is not the claim's whole text (those get a vector)."""
        return [c for c in self.claims if said_text(c.text) != c.text]

    def split(self, vectors: Vectors) -> tuple[Vectors, Vectors, Vectors]:
        """Chunk vectors, claim vectors and said vectors from this file's rows of the batch."""
        n, own = len(self.chunks), self._own_claims()
        by_span = {(c.start, c.end): vectors[i] for i, c in enumerate(self.chunks)}
        by_span.update({(c.start, c.end): vectors[n + i] for i, c in enumerate(own)})
        claims = [by_span[(c.start, c.end)] for c in self.claims]
        start = n + len(own)
        apart = {(c.start, c.end): vectors[start + i] for i, c in enumerate(self._said_apart())}
        said = [apart.get((c.start, c.end), v) for c, v in zip(self.claims, claims, strict=True)]
        dim = vectors.shape[1]
        return (
            vectors[:n],
            np.asarray(claims, dtype=np.float32).reshape(-1, dim),
            np.asarray(said, dtype=np.float32).reshape(-1, dim),
        )


def parse_file(
    settings: Settings, path: Path, known_sha: str | None, sandbox: Sandbox | None = None
) -> Parsed:
    """Read, clean, chunk and find claims in one file; never raises for a bad file. With
    a `sandbox`, the file's format is read in its worker, bounded in time and memory."""
    parsed = Parsed(source=str(path))
    try:
        size_mb = path.stat().st_size / 1_000_000
        if size_mb > settings.max_file_mb:  # checked before reading: memory stays bounded
            raise ArticleError(
                f"{size_mb:.0f} MB is over the {settings.max_file_mb:g} MB limit "
                "(raise CLAIMBOT_MAX_FILE_MB to index it)"
            )
        data = path.read_bytes()
        parsed.sha = file_sha(data)
        if parsed.sha == known_sha:
            return parsed
        if sandbox is None:
            article = load_article(path, str(path), data)
        else:
            article = load_article(
                path, str(path), data, lambda p, raw: sandbox.run(p, article_text, p, raw)
            )
    except (ArticleError, OSError) as exc:
        parsed.error = str(exc) if isinstance(exc, ArticleError) else f"cannot read: {exc}"
        return parsed
    parsed.article = article
    parsed.warnings += article.warnings
    parsed.chunks = chunk_article(article, settings.chunk_chars)
    parsed.claims = extract_claims(article)
    if settings.llm_enabled and settings.llm_claims:
        try:
            parsed.claims += verified_claims(
                article, ask_for_claims(settings, article), parsed.claims
            )
        except LLMError as exc:  # the offline claims stand; say what was missed
            parsed.warnings.append(f"{path}: {exc}; kept the offline claims only")
    return parsed
