"""Evidence mode: an extractive answer made of verbatim source passages, no LLM."""

from langchain_core.documents import Document

from bot.answer import EVIDENCE, Answer, Citation, retrieved_list
from bot.prompts import render_prompt
from index.metadata import UNKNOWN
from index.settings import Settings

# Passages this close to the best one are quoted too: other outlets' versions of it.
MARGIN = 0.04


def select_evidence(docs: list[Document], settings: Settings) -> list[Document]:
    """The few passages worth quoting, in ranked order."""
    if not docs:
        return []
    best = max(d.metadata["relevance"] for d in docs)
    floor = max(settings.min_relevance, best - MARGIN)
    kept = [d for d in docs if d.metadata["relevance"] >= floor]
    kept.sort(key=lambda d: -d.metadata["relevance"])
    return kept[: settings.max_quotes]


def format_item(citation: Citation) -> str:
    """One quoted passage with its marker, outlet and date."""
    where = ", ".join(
        part
        for part in (
            citation.outlet if citation.outlet != UNKNOWN else citation.source,
            citation.date if citation.date != UNKNOWN else "",
            f"via {citation.credited_to}" if citation.credited_to else "",
        )
        if part
    )
    return f'[{citation.n}] "{citation.quote}" — {where}'


def evidence_answer(
    question: str, docs: list[Document], settings: Settings, language: str
) -> Answer:
    """Quote the best passages verbatim, framed in the question's language."""
    citations = [
        Citation.from_document(n, d) for n, d in enumerate(select_evidence(docs, settings), 1)
    ]
    items = "\n\n".join(format_item(c) for c in citations)
    outlets = ", ".join(
        dict.fromkeys(c.outlet if c.outlet != UNKNOWN else c.source for c in citations)
    )
    return Answer(
        question=question,
        mode=EVIDENCE,
        found=True,
        answer=render_prompt(settings, f"evidence_{language}", items=items, outlets=outlets),
        citations=citations,
        retrieved=retrieved_list(docs),
        language=language,
    )


def not_found_answer(
    question: str,
    docs: list[Document],
    settings: Settings,
    language: str,
    mode: str,
    missing: list[str],
) -> Answer:
    """Say plainly that the sources do not answer; cite nothing."""
    detail = ""
    if missing:
        detail = render_prompt(settings, f"missing_names_{language}", names=", ".join(missing))
        detail = " " + detail
    return Answer(
        question=question,
        mode=mode,
        found=False,
        answer=render_prompt(settings, f"not_found_{language}", detail=detail),
        retrieved=retrieved_list(docs),
        language=language,
    )
