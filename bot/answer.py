"""Records of an answer: the Answer itself and its Citations."""

from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.documents import Document

EVIDENCE = "evidence"
LLM = "llm"


@dataclass(frozen=True)
class Citation:
    """A numbered pointer to an exact span of a source; `quote` is that span's text."""

    n: int
    source: str
    start: int
    end: int
    quote: str
    title: str
    outlet: str
    date: str
    credited_to: str
    doc_id: str
    claim_id: str | None = None  # a tracked claim this passage reports
    claim_outlets: int = 0  # how many outlets carry that claim
    claim_disputed: bool = False
    claim_dispute_inferred: bool = False  # always so: the ledger infers disputes, never quotes
    role: str = ""  # what the citation is in the answer ("claim", "denial", ...)
    speaker: str = ""  # who the tracked claim in this passage is attributed to
    claim_kind: str = ""  # and what kind of statement it is (quote, request, ...)
    url: str = ""  # the article's URL, when known

    @classmethod
    def from_document(cls, n: int, doc: Document) -> "Citation":
        meta = doc.metadata
        return cls(
            n=n,
            source=str(meta["source"]),
            start=int(meta["start"]),
            end=int(meta["end"]),
            quote=doc.page_content,
            title=str(meta["title"]),
            outlet=str(meta["outlet"]),
            date=str(meta["date"]),
            credited_to=str(meta["credits"] or meta["article_credits"]),
            doc_id=str(meta["doc_id"]),
            url=str(meta.get("url") or ""),
        )


@dataclass
class Answer:
    """A cited answer, or a plain statement that the sources do not answer."""

    question: str
    mode: str
    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[dict[str, Any]] = field(default_factory=list)
    notice: str | None = None
    flags: list[str] = field(default_factory=list)
    language: str = "en"
    standalone: str | None = None  # the question as retrieval understood it (follow-ups)
    partial: str = ""  # LLM text that arrived before the backend failed: incomplete
    lacking: list[str] = field(default_factory=list)  # names the answer says it lacks, first

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("language")
        return data


def retrieved_list(docs: list[Document]) -> list[dict[str, Any]]:
    """The ranked passages an answer was drawn from, as the JSON output lists them."""
    return [
        {
            "source": d.metadata["source"],
            "start": d.metadata["start"],
            "end": d.metadata["end"],
            "score": round(float(d.metadata["relevance"]), 4),
        }
        for d in docs
    ]
