"""Evidence mode: an extractive answer made of verbatim source passages, no LLM."""

import datetime
from dataclasses import replace

from langchain_core.documents import Document

from bot.answer import EVIDENCE, Answer, Citation, retrieved_list
from bot.decide import Decision
from bot.ledger import LedgerIndex
from index.decode import repair_mojibake
from index.metadata import UNKNOWN
from index.names import english_name
from index.prompts import render_prompt
from index.settings import Settings
from index.tracked import TrackedClaim

KIND_LABELS = {
    "en": {},
    "id": {
        "quote": "kutipan",
        "statement": "pernyataan",
        "request": "permintaan",
        "denial": "bantahan",
        "accusation": "tuduhan",
    },
}
UNKNOWN_OUTLET = {"en": "outlet unknown", "id": "media tidak diketahui"}


def readable_date(value: str, language: str) -> str:
    """30 Jan 2023 (in the question's language); "" when the article gave no real date."""
    from babel.dates import format_date

    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return ""
    return format_date(day, "d MMM y", locale=language)


def format_item(citation: Citation, language: str = "en") -> str:
    """One quoted passage, introduced by who said it, what kind of statement it is, and
    where and when it appeared, so a reader who does not read the article's language knows
    what the quote is before reading it: `[1] Jens Stoltenberg (request), Medcom,
    30 Jan 2023:` then the quote."""
    who = ""
    if citation.speaker:
        kind = KIND_LABELS.get(language, {}).get(citation.claim_kind, citation.claim_kind)
        english = english_name(citation.speaker) if language == "en" else None
        speaker = f"{citation.speaker}, i.e. {english}" if english else citation.speaker
        who = f"{speaker} ({kind})" if kind else speaker
    outlet = citation.outlet if citation.outlet != UNKNOWN else UNKNOWN_OUTLET[language]
    parts = (
        who,
        outlet,
        readable_date(citation.date, language),
        f"via {citation.credited_to}" if citation.credited_to else "",
    )
    intro = ", ".join(p for p in parts if p)
    # (the answer reads `ยฉ`-style mojibake repaired; the citation's quote stays the slice)
    quote = repair_mojibake(citation.quote)
    return f'[{citation.n}] {intro}:\n"{quote}"{claim_note(citation)}'


def annotate(citation: Citation, ledger: LedgerIndex) -> Citation:
    """Mark a citation with the tracked claim it reports: how many outlets, disputed."""
    found = ledger.at(citation.source, citation.start, citation.end)
    if not found:
        return citation
    claim = max(found, key=lambda t: (t.disputed, t.outlets))
    return replace(
        citation,
        claim_id=claim.id,
        claim_outlets=claim.outlets,
        claim_disputed=claim.disputed,
        claim_dispute_inferred=claim.disputed,
        speaker=claim.speaker,
        claim_kind=claim.kind,
    )


def evidence_answer(
    question: str,
    decision: Decision,
    docs: list[Document],
    settings: Settings,
    language: str,
    ledger: LedgerIndex | None = None,
) -> Answer:
    """Quote the passages that answer, verbatim, framed in the question's language."""
    citations = [Citation.from_document(n, d) for n, d in enumerate(decision.passages, 1)]
    if ledger is not None:
        citations = [annotate(c, ledger) for c in citations]
    items = "\n\n".join(format_item(c, language) for c in citations)
    outlets = ", ".join(
        dict.fromkeys(
            c.outlet if c.outlet != UNKNOWN else UNKNOWN_OUTLET[language] for c in citations
        )
    )
    text = render_prompt(settings, f"evidence_{language}", items=items, outlets=outlets)
    return Answer(
        question=question,
        mode=EVIDENCE,
        found=True,
        answer=text,
        citations=citations,
        retrieved=retrieved_list(docs),
        language=language,
    )


def lacking_lead(decision: Decision, settings: Settings, language: str) -> str:
    """The first sentence of an answer whose passages lack part of the question: which
    names no article mentions, and which the quoted passages do not mention ("" if none)."""
    lines = []
    if decision.absent:
        lines.append(
            render_prompt(settings, f"absent_names_{language}", names=_listed(decision.absent))
        )
    if decision.unquoted and decision.answer:
        names = _listed(decision.unquoted)
        lines.append(render_prompt(settings, f"missing_names_{language}", names=names))
    return " ".join(lines)


def lead_with_lacking(answer: Answer, decision: Decision, settings: Settings) -> Answer:
    """The answer, opened by what its passages lack, so a reader meets that first."""
    lead = lacking_lead(decision, settings, answer.language)
    if lead:
        answer.answer = f"{lead}\n\n{answer.answer}"
        answer.lacking = [*decision.absent, *decision.unquoted]
    return answer


def _listed(names: list[str]) -> str:
    return ", ".join(names)


def not_found_answer(
    question: str, docs: list[Document], settings: Settings, language: str, mode: str
) -> Answer:
    """Say plainly that the sources do not answer; cite nothing."""
    return Answer(
        question=question,
        mode=mode,
        found=False,
        answer=render_prompt(settings, f"not_found_{language}"),
        retrieved=retrieved_list(docs),
        language=language,
    )


def claim_note(citation: Citation) -> str:
    """ "(reported by 2 outlets; disputed)" for a citation that reports a tracked claim."""
    parts = []
    if citation.claim_outlets > 1:
        parts.append(f"reported by {citation.claim_outlets} outlets")
    if citation.claim_disputed:
        parts.append("disputed, as the claim ledger infers")
    return f" ({'; '.join(parts)})" if parts else ""


def claim_citation(
    n: int, claim: TrackedClaim, appearance_index: int = 0, role: str = ""
) -> Citation:
    """A citation of one appearance of a tracked claim."""
    a = claim.appearances[appearance_index]
    return Citation(
        n=n,
        source=a.source,
        start=a.start,
        end=a.end,
        quote=a.quote,
        title="",
        outlet=a.outlet,
        date=a.date,
        credited_to=a.credited_to,
        doc_id=a.doc_id,
        claim_id=claim.id,
        claim_outlets=claim.outlets,
        claim_disputed=claim.disputed,
        claim_dispute_inferred=claim.disputed,
        role=role,
        url=a.url,
    )


def format_claim(claim: TrackedClaim, citations: list[Citation]) -> str:
    """A tracked claim with its speaker, outlets and each appearance's marker."""
    where = "; ".join(f"{c.outlet} {c.date} [{c.n}]" for c in citations)
    flags = f" — check: {'; '.join(claim.flags)}" if claim.flags else ""
    quote = repair_mojibake(citations[0].quote)
    return f'{claim.speaker} ({claim.kind}): "{quote}" — {where}{flags}'


def claims_answer(
    question: str,
    claims: list[TrackedClaim],
    settings: Settings,
    language: str,
    scope: str,
    docs: list[Document],
) -> Answer:
    """Answer a question about the ledger itself, listing the tracked claims."""
    citations: list[Citation] = []
    items = []
    for claim in claims:
        cited = [
            claim_citation(len(citations) + i + 1, claim, i) for i in range(len(claim.appearances))
        ]
        citations += cited
        items.append(f"- {format_claim(claim, cited)}")
    return Answer(
        question=question,
        mode=EVIDENCE,
        found=bool(claims),
        answer=render_prompt(
            settings, f"claims_list_{language}", scope=scope, items="\n".join(items)
        ),
        citations=citations,
        retrieved=retrieved_list(docs),
        language=language,
    )


def add_dispute(
    answer: Answer,
    claim: TrackedClaim,
    denials: list[TrackedClaim],
    responses: list[TrackedClaim],
    settings: Settings,
    language: str,
) -> None:
    """Append a disputed claim and its denial (with responses) side by side, cited."""
    n = len(answer.citations)
    claim_cites = [claim_citation(n + 1, claim, role="claim")]
    other = [(d, "denial") for d in denials] + [(r, "response") for r in responses]
    other_cites = [claim_citation(n + 2 + i, t, role=role) for i, (t, role) in enumerate(other)]
    section = render_prompt(
        settings,
        f"dispute_{language}",
        claim=format_claim(claim, claim_cites),
        denial=" ".join(format_claim(t, [c]) for (t, _), c in zip(other, other_cites, strict=True)),
    )
    answer.citations += claim_cites + other_cites
    answer.answer = f"{answer.answer}\n\n{section}"
