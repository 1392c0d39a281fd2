"""Claims: assertions attributed to someone, found in an article's body.

A claim is a sentence (with the sentences that continue it) carrying a reporting verb:
"Stoltenberg mendesak ...", '"...," katanya', "Korut telah membantah ...", "X said".
Its speaker is the name next to the verb, or, for "ia", "dia", "katanya", "Sekjen NATO
itu", "pihaknya", the speaker named before it in the same article.

This module holds the record and the pipeline over an article; its parts stand beside it:
reporting_verbs.py (which verb, which kind of claim), quotations.py, attribution.py,
according.py and english_attribution.py (who the sentence says spoke), roles.py (a name
and its title or office), name_index.py and full_names.py (the one name the article gives
each speaker), reading.py (that name resolved at each claim, against the article read so
far).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from index.article import Article
from index.full_names import acronyms_defined, longest_names, short_names
from index.metadata import find_credits
from index.quotations import (
    QUOTE_CLOSED,
    QUOTE_MARK,
    QUOTE_SENTENCES,
    QUOTED,
    inside_quotes,
    left_open,
    tagged_later,
)
from index.reading import Body, Reading, claim_speaker, note_subject, read_body
from index.reporting_verbs import (
    SPEAKER_AFTER,
    TAG_WORDS,
    claim_kind,
    reporting_verb,
    second_statement,
)
from index.sentences import split_sentences


@dataclass(frozen=True)
class Claim:
    """An attributed assertion; `text` is exactly `article.text[start:end]`."""

    id: str
    doc_id: str
    source: str
    start: int
    end: int
    text: str
    speaker: str
    role: str
    kind: str
    verb: str
    credited_to: str


def extract_claims(article: Article) -> list[Claim]:
    """Every attributed claim in the article's body, with resolved speakers."""
    body = read_body(article)
    reading = Reading()
    claims: list[Claim] = []
    carry: tuple[str, str, str] | None = None  # a quotation that ended its paragraph
    for para_start, para_end in article.body:
        paragraph = _read_paragraph(article.text, para_start, para_end)
        if carry and _only_quotes_on(article.text, paragraph):
            # a paragraph that only goes on with the quotation that closed the one before
            # ('... Professor Eastman said. | "If an infant's not getting enough iodine ..."')
            first, last = paragraph.sentences[0][0], paragraph.sentences[-1][1]
            claims.append(_claim(article, first, last, carry))
            continue
        claims += _paragraph_claims(body, reading, paragraph)
        carry = _carried(claims, paragraph, body.indonesian)
    return _named_in_full(claims, body)


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph's sentences, whether each starts inside a quotation, and each one's
    reporting verb."""

    start: int
    sentences: list[tuple[int, int]]
    inside: list[bool]
    verbs: list[re.Match[str] | None]


def _read_paragraph(text: str, start: int, end: int) -> _Paragraph:
    """The paragraph of `text[start:end]`, its sentences' reporting verbs found once."""
    sentences = split_sentences(text, start, end)
    inside = inside_quotes(text, sentences)
    verbs = [reporting_verb(text[a:b], inside[k]) for k, (a, b) in enumerate(sentences)]
    return _Paragraph(start, sentences, inside, verbs)


def _only_quotes_on(text: str, paragraph: _Paragraph) -> bool:
    """Whether the paragraph opens with a quotation mark and has no reporting verb, so it
    can only go on with a quotation before it."""
    first, last = paragraph.sentences[0]
    quoted = text[first:last].lstrip()[:1] in ('"', "“")
    return quoted and all(v is None for v in paragraph.verbs)


def _carried(
    claims: list[Claim], paragraph: _Paragraph, indonesian: bool
) -> tuple[str, str, str] | None:
    """(speaker, role, verb) of the quotation the last claim ends the paragraph with, when
    the next paragraph may go on with it; None when there is none."""
    if not claims:
        return None
    final = claims[-1]
    ends_quoted = final.end == paragraph.sentences[-1][1] and QUOTE_MARK.search(final.text)
    # (left open, the quotation goes on in the next paragraph, in any language; in
    # English a quoted paragraph without a tag after a quotation is the same speaker's)
    goes_on = not indonesian or left_open(final.text)
    return (final.speaker, final.role, final.verb) if ends_quoted and goes_on else None


def _paragraph_claims(body: Body, reading: Reading, paragraph: _Paragraph) -> list[Claim]:
    """The paragraph's claims: each sentence with a reporting verb and a speaker, with the
    sentences that go on from it; a sentence without a verb may name the subject a later
    anaphor refers to."""
    text = body.article.text
    claims: list[Claim] = []
    taken = -1  # the last sentence of the paragraph a claim holds
    i = 0
    while i < len(paragraph.sentences):
        s, e = paragraph.sentences[i]
        verb = paragraph.verbs[i]
        i += 1
        sentence = text[s:e]
        if verb is None:
            note_subject(reading, sentence, s, body.indonesian)
            continue
        found = claim_speaker(body, reading, sentence, verb, s, paragraph.start)
        if found is None:
            continue
        said_by = reading.spoke(*found, s)
        spans, i = _claim_spans(text, paragraph, i - 1, taken, verb)
        taken = i - 1
        claims += [_claim(body.article, a, b, (*said_by, said)) for a, b, said in spans]
    return claims


def _claim_spans(
    text: str, paragraph: _Paragraph, k: int, taken: int, verb: re.Match[str]
) -> tuple[list[tuple[int, int, str]], int]:
    """The spans of the claim the verb tags in sentence `k`, each with its reporting verb,
    and the sentence after them; `taken`: the last sentence an earlier claim holds."""
    spans, verbs = _tagged_spans(text, paragraph, k, taken, verb)
    # Sentences that carry on without an attribution of their own are the speaker's
    # too: a quoted one is a statement of its own ('"We let you down," he said. "We
    # are working around the clock."'), any other goes with the statement before;
    # not one that a later tag's quotation holds.
    following = _going_on(paragraph, k + 1)
    for a, b in following:
        if QUOTE_MARK.search(text[a:b]):
            spans.append((a, b))
            verbs.append(verbs[-1])
        else:
            spans[-1] = (spans[-1][0], b)
    statements = [(a, b, said) for (a, b), said in zip(spans, verbs, strict=True)]
    return statements, k + 1 + len(following)


def _tagged_spans(
    text: str, paragraph: _Paragraph, k: int, taken: int, verb: re.Match[str]
) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans the verb in sentence `k` tags, each with its verb: from where a quotation
    it closes opened, and in two when the sentence joins a second statement to the first."""
    s, e = paragraph.sentences[k]
    # A quotation that the tag in this sentence closes opened in a sentence before
    # ('" E. coli adalah ... usus besar. Jika Anda ..., " kata Dr. Rabin'): all of it.
    first = k
    while first - 1 > taken and k + 1 - first <= QUOTE_SENTENCES and paragraph.inside[first]:
        first -= 1
    spans = [(paragraph.sentences[first][0], e)]
    verbs = [verb.group(1)]
    second = second_statement(text[s:e], verb)
    if second is not None:  # "... accused the mayor of ... and said the reserves ..."
        end, cut, again = second
        spans = [(spans[0][0], s + end), (s + cut, e)]
        verbs.append(again)
    return spans, verbs


def _going_on(paragraph: _Paragraph, i: int) -> list[tuple[int, int]]:
    """The sentences from `i` on without a reporting verb of their own, up to one that a
    later tag's quotation holds."""
    end = i
    while (
        end < len(paragraph.sentences)
        and paragraph.verbs[end] is None
        and not tagged_later(paragraph.inside, paragraph.verbs, end)
    ):
        end += 1
    return paragraph.sentences[i:end]


def _named_in_full(claims: list[Claim], body: Body) -> list[Claim]:
    """The claims, each speaker under the one name the article gives them: the longest it
    wrote, the body an acronym stands for, (in Indonesian) a short name's full one."""
    claims = _renamed(claims, longest_names(c.speaker for c in claims))
    # an acronym speaker is the body the article spelled it out as: "ASIC said" is the
    # "Australian Securities and Investments Commission (ASIC)" it named before
    claims = _renamed(claims, acronyms_defined(body.article.text))
    if body.indonesian:
        speakers = {c.speaker for c in claims}
        claims = _renamed(claims, short_names(speakers, body.runs, body.names, body.common))
    return claims


def _renamed(claims: list[Claim], full: Mapping[str, str]) -> list[Claim]:
    """The claims, with each speaker that `full` holds replaced by the name it gives."""
    return [replace(c, speaker=full[c.speaker]) if c.speaker in full else c for c in claims]


def _claim(article: Article, start: int, end: int, said_by: tuple[str, str, str]) -> Claim:
    """The claim of `article.text[start:end]` by (speaker, role, reporting verb); also the
    paragraph that goes on with the quotation the paragraph before closed with."""
    speaker, role, verb = said_by
    text = article.text[start:end]
    return Claim(
        id=f"{article.doc_id}:{start}-{end}",
        doc_id=article.doc_id,
        source=article.source,
        start=start,
        end=end,
        text=text,
        speaker=speaker,
        role=role,
        kind=claim_kind(verb, text),
        verb=verb,
        credited_to="; ".join(find_credits(text)) or "; ".join(article.credits),
    )


_LEAD_IN = re.compile(r"[\s,:]*(?:(?:bahwa|that)\b)?[\s,:]*", re.IGNORECASE)
_TRAILING = " ,.;:\"'“”‘’"


def content_spans(text: str) -> list[tuple[int, int]]:
    """Where in a claim's text (offsets into it) is what was said, without who said it
    and the words that report it: the quotation when the claim quotes ('"...," kata
    Rivai', 'said: "..."'), the clause before a tag ('..., kata Rivai', '..., katanya'),
    else the clause after the reporting verb ('said [that] the two companies "share
    the same values"', 'mengatakan [bahwa] ...', 'Menurut Rivai, ...')."""
    quotes = [m.span(1) for m in QUOTED.finditer(text) if len(m.group(1).split()) >= 3]
    verb = reporting_verb(text)
    if verb is None:
        return [_trimmed(text, a, b) for a, b in quotes] or [_trimmed(text, 0, len(text))]
    word = verb.group(1).lower()
    before = text[: verb.start()]
    tag = word.endswith("nya") or word in SPEAKER_AFTER or word in TAG_WORDS
    if quotes and (tag or QUOTE_CLOSED.search(before) or quotes[0][0] < verb.start()):
        return [_trimmed(text, a, b) for a, b in quotes]  # the tag follows the quotation
    if tag and len(before.split()) >= 2:  # "..., kata Rivai."
        return [_trimmed(text, 0, len(before))]
    start = verb.end()
    if word in ("menurut", "according to"):  # "Menurut Rivai, ..."
        comma = text.find(",", start)
        start = comma + 1 if comma > 0 else start
    start = _LEAD_IN.match(text, start).end()  # type: ignore[union-attr]
    if quotes and len(text[start : quotes[0][0]].split()) == 0:  # 'said: "..."'
        return [_trimmed(text, a, b) for a, b in quotes]
    # up to the end of the verb's sentence: a sentence carried on after it without
    # quotation marks is shown with the claim, but is the reporter's ("... kata Menteri.
    # Saat itu Sugiharto merupakan Direktur ...")
    end = next((b for a, b in split_sentences(text, 0, len(text)) if b > start), len(text))
    return [_trimmed(text, start, end)]


def said_text(text: str) -> str:
    """What a claim says, without who said it and the words that report it: its content
    spans joined (the text the ledger compares across languages)."""
    return " ".join(text[a:b] for a, b in content_spans(text)) or text


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRAILING:
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end
