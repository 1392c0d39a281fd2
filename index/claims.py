"""Claims: assertions attributed to someone, found in an article's body.

A claim is a sentence (with the sentences that continue it) carrying a reporting verb:
"Stoltenberg mendesak ...", '"...," katanya', "Korut telah membantah ...", "X said".
Its speaker is the name next to the verb, or, for "ia", "dia", "katanya", "Sekjen NATO
itu", "pihaknya", the speaker named before it in the same article.

This module holds the record and the pipeline over an article; its parts stand beside it:
reporting_verbs.py (which verb, which kind of claim), quotations.py, attribution.py and
english_attribution.py (who the sentence says spoke), roles.py (a name and its title or
office), name_index.py and full_names.py (the one name the article gives each speaker).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from index.article import Article
from index.attribution import RELATIVE, find_speaker, last_name_before_verb
from index.english_attribution import (
    SPOKESPERSON,
    clause_subject,
    english_person,
    english_subject,
    spokesperson,
)
from index.full_names import (
    DESCRIPTION,
    PRONOUNS,
    Speakers,
    acronyms_defined,
    described_name,
    full_name,
    longest_names,
    named_speaker,
    pair_named,
    short_names,
)
from index.lexicon import (
    BODY_WORDS,
    is_english_title,
    is_role_word,
)
from index.metadata import find_credits
from index.name_index import Descriptions, NameRuns
from index.quotations import (
    QUOTE_CLOSED,
    QUOTE_MARK,
    QUOTE_SENTENCES,
    QUOTED,
    inside_quotes,
    left_open,
    tagged_later,
)
from index.reporting_verbs import (
    SPEAKER_AFTER,
    TAG_WORDS,
    claim_kind,
    reporting_verb,
    second_statement,
)
from index.roles import (
    after_opener,
    is_body,
    name_start,
    untitled,
)
from index.sentences import split_sentences

# A possessive before a lower-case word: "Alcantara's office" is Alcantara's.
_OWNER = re.compile(r"([A-Z][\w-]+)['’]s\s+[a-z]")
# A capitalised word where no sentence starts: a name, not a sentence's opener.
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z0-9,;] )[A-Z][\w'’-]*")


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
    body = _read_body(article)
    reading = _Reading()
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
class _Body:
    """What the article's whole body says about its words, read once before its claims."""

    article: Article
    indonesian: bool  # the dictionary of role words is Indonesian
    names: set[str]  # capitalised where no sentence starts
    common: set[str]  # words the article writes small
    runs: NameRuns
    names_of: Descriptions


def _read_body(article: Article) -> _Body:
    """The article's names, small words, runs of names and descriptions, over its body."""
    text = " ".join(article.text[a:b] for a, b in article.body)
    names = set(_MID_SENTENCE_CAPITAL.findall(text))  # capitalised where no sentence starts
    common = {w for w in re.findall(r"\b[a-z][\w-]*", text)}  # words the article writes small
    indonesian = article.language == "id"  # the dictionary of role words is Indonesian
    runs = NameRuns(article.text, article.body[0][0], english=not indonesian, small=common)
    names_of = Descriptions(article.text, article.body[0][0], english=not indonesian)
    return _Body(article, indonesian, names, common, runs, names_of)


@dataclass
class _Reading:
    """Who the sentences read so far named, and where: what an anaphor ("ia", "he said")
    or a description ("the minister") refers back to."""

    roles: Speakers = field(default_factory=Speakers)  # every speaker so far, with their role
    last_speaker: tuple[str, str] = ("", "")
    last_subject: tuple[str, str] = ("", "")
    last_at: int = -1  # where the last claim's sentence starts
    subject_at: int = -1  # where the last sentence with a subject but no claim starts

    def referent(self, english: bool) -> tuple[str, str]:
        """(speaker, role) an anaphor refers to: the speaker before, or the person the text
        is about (in English the one named last; Indonesian subjects are found too loosely)."""
        later = english and self.subject_at > self.last_at and self.last_subject[0]
        return self.last_speaker if self.last_speaker[0] and not later else self.last_subject

    def spoke(self, speaker: str, role: str, at: int) -> tuple[str, str]:
        """Record the speaker of a claim whose sentence starts at `at`; (speaker, role), the
        role the article gave them before when this claim gives none."""
        role = role or self.roles.get(speaker, "")
        self.roles[speaker] = role
        self.last_speaker = (speaker, role)
        self.last_at = at
        return self.last_speaker


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


def _paragraph_claims(body: _Body, reading: _Reading, paragraph: _Paragraph) -> list[Claim]:
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
            _note_subject(reading, sentence, s, body.indonesian)
            continue
        found = _claim_speaker(body, reading, sentence, verb, s, paragraph.start)
        if found is None:
            continue
        said_by = reading.spoke(*found, s)
        spans, i = _claim_spans(text, paragraph, i - 1, taken, verb)
        taken = i - 1
        claims += [_claim(body.article, a, b, (*said_by, said)) for a, b, said in spans]
    return claims


def _note_subject(reading: _Reading, sentence: str, at: int, indonesian: bool) -> None:
    """Note the person a sentence without a claim is about, as an anaphor's referent."""
    # (in English the first name with a verb after it, a person "of" a body
    # before the body: "Matthew Ingram of The Globe and Mail dubbed ...")
    lead = english_person(clause_subject(sentence), "") if not indonesian else ""
    lead = lead if len(lead.split()) >= 2 else ""
    subject = (lead or english_subject(sentence) if not indonesian else "") or (
        last_name_before_verb(sentence).strip()
    )
    if subject and subject.split()[-1].lower() not in PRONOUNS:
        reading.last_subject = (full_name(subject, reading.roles), "")
        reading.subject_at = at


def _claim_speaker(
    body: _Body, reading: _Reading, sentence: str, verb: re.Match[str], at: int, para_start: int
) -> tuple[str, str] | None:
    """(speaker, role) of the claim the verb tags in the sentence starting at `at`, named
    as the article names them in full; None when no one is found."""
    speaker, role = _said_by(body, reading, sentence, verb)
    if not speaker:
        return None
    speaker, role = _described_speaker(
        body, reading, (speaker, role), at + verb.start(), para_start
    )
    spokes = None if body.indonesian else SPOKESPERSON.fullmatch(speaker.strip())
    if spokes:  # "A spokesman" after "The department denied ...": whose
        near = reading.last_speaker[0] if reading.last_at >= para_start else ""
        speaker = spokesperson(spokes, near, body.article.text)
    speaker, role = _bare_speaker(body, reading.roles, (speaker, role), at)
    speaker, role = _after_office(body, reading.roles, (speaker, role))
    speaker, role = _two_word_speaker(body, reading.roles, (speaker, role), at)
    if not body.indonesian:  # a run written before may end in letters: "Sarah Okafor KC"
        speaker = english_person(untitled(speaker)[0], body.article.text)
    return speaker, role


def _said_by(body: _Body, reading: _Reading, sentence: str, verb: re.Match[str]) -> tuple[str, str]:
    """(speaker, role) the sentence gives at its verb; for an anaphor ("ia", "katanya"),
    the one it refers back to."""
    speaker, role, anaphor = find_speaker(sentence, verb, not body.indonesian)
    speaker = RELATIVE.split(speaker, maxsplit=1)[0]
    if not anaphor:
        speaker, anaphor = named_speaker(speaker, body.names, body.common, body.indonesian)
    if anaphor:  # "ia", "katanya": the speaker before, or the person the text is about
        speaker, role = reading.referent(not body.indonesian)
    return speaker, role


def _described_speaker(
    body: _Body, reading: _Reading, said_by: tuple[str, str], at: int, para_start: int
) -> tuple[str, str]:
    """(speaker, role) for a speaker given by a description ("the defender", "the
    mayor"): the person the article named so; any other as given."""
    speaker, role = said_by
    described = DESCRIPTION.fullmatch(speaker.strip())
    if not described:
        return speaker, role
    # (before the tag, in this sentence too: "Vietnam's Ministry of Industry
    # and Trade has ordered ..., the ministry said")
    named = described_name(described.group(1).lower(), at, reading.roles, body.names_of)
    head = described.group(1).split()[-1]
    last = "" if DESCRIPTION.fullmatch(reading.last_speaker[0]) else reading.last_speaker[0]
    if not named and head in BODY_WORDS and reading.last_at >= para_start:
        # "In a statement, the company said": the body that spoke just before
        # in this paragraph, when it is named ("Marches Water denied ...")
        named = last
    elif not named and not body.indonesian and is_english_title(head) and not is_body(last):
        # "The prosecutor said", no one named so: the person who spoke last
        named = last
    return (named, role or described.group(1)) if named else (speaker, role)


def _bare_speaker(
    body: _Body, roles: Speakers, said_by: tuple[str, str], at: int
) -> tuple[str, str]:
    """(speaker, role) without the words before or after the name that are no part of it
    (the title goes to the role), in full as named before."""
    speaker, role = said_by
    if body.indonesian:  # "Meski begitu Fifi" -> "Fifi", then "Fifi Lety Indra"
        speaker = after_opener(speaker.strip(), body.names)
    else:  # "Dr Hale" -> "Hale", then "Karen Hale" as named before
        speaker, honorific = untitled(speaker.strip())
        speaker, more = untitled(full_name(speaker, roles, body.runs, at))
        owner = _OWNER.match(speaker)  # "Alcantara's office": Teresa Alcantara's
        if owner:
            full = full_name(owner.group(1), roles, body.runs, at)
            speaker = full + speaker[owner.end(1) :]
        role = role or honorific or more
    return full_name(speaker.strip(), roles, body.runs, at), role


def _after_office(body: _Body, roles: Speakers, said_by: tuple[str, str]) -> tuple[str, str]:
    """(speaker, role) for an Indonesian speaker with office words before the name: the
    name, and the words added to the role; a name the article gave before stays whole."""
    speaker, role = said_by
    words = speaker.split()
    capitalised = all(w[:1].isupper() for w in words)
    named_so = speaker in roles  # named so before: "Sri Mulyani Indrawati" stays whole
    start = name_start(words) if body.indonesian and capitalised and not named_so else 0
    if start:  # "Perikanan Susi Pudjiastuti": an office word before the name
        return " ".join(words[start:]), " ".join([role, *words[:start]]).strip()
    return speaker, role


def _two_word_speaker(
    body: _Body, roles: Speakers, said_by: tuple[str, str], at: int
) -> tuple[str, str]:
    """(speaker, role) for a speaker of two words, a title or given name and a name
    ("Menteri Susi", "Sri Mulyani"): the person in full as the article named them."""
    speaker, role = said_by
    words = speaker.split()
    # a title: a dictionary word, or one the article also writes small ("minister")
    title = (body.indonesian and is_role_word(words[0])) or words[0].lower() in body.common
    if not (len(words) == 2 and (title or words[0] not in body.names)):  # "Menteri Susi"
        return speaker, role
    pair = pair_named(words, body.runs, at)
    full = full_name(words[1], roles, body.runs, at)
    new = full not in roles  # "Daniel Okafor" is not the "Sarah Okafor" before
    if pair:  # "Sri Mulyani" -> "Sri Mulyani Indrawati": both words are the name
        return pair, role
    if full != words[1] and words[0] not in full.split() and (title or new):
        return full, role or words[0]
    # a speaker named before with this given name: "Susi Pudjiastuti"
    given = roles.starting(words[1])
    return (given[-1], role or words[0]) if given else (speaker, role)


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


def _named_in_full(claims: list[Claim], body: _Body) -> list[Claim]:
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
