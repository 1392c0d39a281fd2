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
from dataclasses import dataclass, replace

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
    claims: list[Claim] = []
    last_speaker = ("", "")
    last_subject = ("", "")
    roles = Speakers()
    body = " ".join(article.text[a:b] for a, b in article.body)
    names = set(_MID_SENTENCE_CAPITAL.findall(body))  # capitalised where no sentence starts
    common = {w for w in re.findall(r"\b[a-z][\w-]*", body)}  # words the article writes small
    indonesian = article.language == "id"  # the dictionary of role words is Indonesian
    runs = NameRuns(article.text, article.body[0][0], english=not indonesian, small=common)
    names_of = Descriptions(article.text, article.body[0][0], english=not indonesian)
    carry: tuple[str, str, str] | None = None  # a quotation that ended its paragraph
    last_at = -1  # where the last claim's sentence starts
    subject_at = -1  # where the last sentence with a subject but no claim starts
    for para_start, para_end in article.body:
        sentences = split_sentences(article.text, para_start, para_end)
        inside = inside_quotes(article.text, sentences)
        verbs_of = [  # each sentence's reporting verb, found once
            reporting_verb(article.text[a:b], inside[k]) for k, (a, b) in enumerate(sentences)
        ]
        taken = -1  # the last sentence of the paragraph a claim holds
        quoted = article.text[sentences[0][0] : sentences[0][1]].lstrip()[:1] in ('"', "“")
        if carry and quoted and all(v is None for v in verbs_of):
            # a paragraph that only goes on with the quotation that closed the one before
            # ('... Professor Eastman said. | "If an infant's not getting enough iodine ..."')
            claims.append(_claim(article, sentences[0][0], sentences[-1][1], carry))
            continue
        i = 0
        while i < len(sentences):
            s, e = sentences[i]
            sentence = article.text[s:e]
            verb = verbs_of[i]
            i += 1
            if verb is None:
                # (in English the first name with a verb after it, a person "of" a body
                # before the body: "Matthew Ingram of The Globe and Mail dubbed ...")
                lead = english_person(clause_subject(sentence), "") if not indonesian else ""
                lead = lead if len(lead.split()) >= 2 else ""
                subject = (lead or english_subject(sentence) if not indonesian else "") or (
                    last_name_before_verb(sentence).strip()
                )
                if subject and subject.split()[-1].lower() not in PRONOUNS:
                    last_subject = (full_name(subject, roles), "")
                    subject_at = s
                continue
            speaker, role, anaphor = find_speaker(sentence, verb, not indonesian)
            speaker = RELATIVE.split(speaker, maxsplit=1)[0]
            if not anaphor:
                speaker, anaphor = named_speaker(speaker, names, common, indonesian)
            if anaphor:  # "ia", "katanya": the speaker before, or the person the text is about
                # (in English the one named last; Indonesian subjects are found too loosely)
                later = not indonesian and subject_at > last_at and last_subject[0]
                speaker, role = last_speaker if last_speaker[0] and not later else last_subject
            if not speaker:
                continue
            described = DESCRIPTION.fullmatch(speaker.strip())
            if described:  # "the defender", "the mayor": the person the article named so
                # (before the tag, in this sentence too: "Vietnam's Ministry of Industry
                # and Trade has ordered ..., the ministry said")
                named = described_name(
                    described.group(1).lower(), s + verb.start(), roles, names_of
                )
                head = described.group(1).split()[-1]
                last = "" if DESCRIPTION.fullmatch(last_speaker[0]) else last_speaker[0]
                if not named and head in BODY_WORDS and last_at >= para_start:
                    # "In a statement, the company said": the body that spoke just before
                    # in this paragraph, when it is named ("Marches Water denied ...")
                    named = last
                elif not named and not indonesian and is_english_title(head) and not is_body(last):
                    # "The prosecutor said", no one named so: the person who spoke last
                    named = last
                speaker, role = (named, role or described.group(1)) if named else (speaker, role)
            spokes = None if indonesian else SPOKESPERSON.fullmatch(speaker.strip())
            if spokes:  # "A spokesman" after "The department denied ...": whose
                near = last_speaker[0] if last_at >= para_start else ""
                speaker = spokesperson(spokes, near, article.text)
            if indonesian:  # "Meski begitu Fifi" -> "Fifi", then "Fifi Lety Indra"
                speaker = after_opener(speaker.strip(), names)
            else:  # "Dr Hale" -> "Hale", then "Karen Hale" as named before
                speaker, honorific = untitled(speaker.strip())
                speaker, more = untitled(full_name(speaker, roles, runs, s))
                owner = _OWNER.match(speaker)  # "Alcantara's office": Teresa Alcantara's
                if owner:
                    full = full_name(owner.group(1), roles, runs, s)
                    speaker = full + speaker[owner.end(1) :]
                role = role or honorific or more
            speaker = full_name(speaker.strip(), roles, runs, s)
            words = speaker.split()
            capitalised = all(w[:1].isupper() for w in words)
            named_so = speaker in roles  # named so before: "Sri Mulyani Indrawati" stays whole
            start = name_start(words) if indonesian and capitalised and not named_so else 0
            if start:  # "Perikanan Susi Pudjiastuti": an office word before the name
                speaker, role = " ".join(words[start:]), " ".join([role, *words[:start]]).strip()
                words = words[start:]
            # a title: a dictionary word, or one the article also writes small ("minister")
            title = (indonesian and is_role_word(words[0])) or words[0].lower() in common
            if len(words) == 2 and (title or words[0] not in names):  # "Menteri Susi"
                pair = pair_named(words, runs, s)
                full = full_name(words[1], roles, runs, s)
                new = full not in roles  # "Daniel Okafor" is not the "Sarah Okafor" before
                if pair:  # "Sri Mulyani" -> "Sri Mulyani Indrawati": both words are the name
                    speaker = pair
                elif full != words[1] and words[0] not in full.split() and (title or new):
                    speaker, role = full, role or words[0]
                else:  # a speaker named before with this given name: "Susi Pudjiastuti"
                    given = roles.starting(words[1])
                    speaker, role = (given[-1], role or words[0]) if given else (speaker, role)
            if not indonesian:  # a run written before may end in letters: "Sarah Okafor KC"
                speaker = english_person(untitled(speaker)[0], article.text)
            role = role or roles.get(speaker, "")
            roles[speaker] = role
            last_speaker = (speaker, role)
            last_at = s
            # A quotation that the tag in this sentence closes opened in a sentence before
            # ('" E. coli adalah ... usus besar. Jika Anda ..., " kata Dr. Rabin'): all of it.
            first = i - 1
            while first - 1 > taken and i - first <= QUOTE_SENTENCES and inside[first]:
                first -= 1
            spans = [(sentences[first][0], e)]
            verbs = [verb.group(1)]
            second = second_statement(sentence, verb)
            if second is not None:  # "... accused the mayor of ... and said the reserves ..."
                end, cut, again = second
                spans = [(spans[0][0], s + end), (s + cut, e)]
                verbs.append(again)
            # Sentences that carry on without an attribution of their own are the speaker's
            # too: a quoted one is a statement of its own ('"We let you down," he said. "We
            # are working around the clock."'), any other goes with the statement before;
            # not one that a later tag's quotation holds.
            while (
                i < len(sentences) and verbs_of[i] is None and not tagged_later(inside, verbs_of, i)
            ):
                following = sentences[i]
                if QUOTE_MARK.search(article.text[slice(*following)]):
                    spans.append(following)
                    verbs.append(verbs[-1])
                else:
                    spans[-1] = (spans[-1][0], following[1])
                i += 1
            taken = i - 1
            for (s, e), said in zip(spans, verbs, strict=True):
                claims.append(_claim(article, s, e, (speaker, role, said)))
        final = claims[-1] if claims else None
        ends_quoted = final and final.end == sentences[-1][1] and QUOTE_MARK.search(final.text)
        # (left open, the quotation goes on in the next paragraph, in any language; in
        # English a quoted paragraph without a tag after a quotation is the same speaker's)
        goes_on = final and (not indonesian or left_open(final.text))
        carry = None
        if final and ends_quoted and goes_on:
            carry = (final.speaker, final.role, final.verb)
    claims = _renamed(claims, longest_names(c.speaker for c in claims))
    # an acronym speaker is the body the article spelled it out as: "ASIC said" is the
    # "Australian Securities and Investments Commission (ASIC)" it named before
    claims = _renamed(claims, acronyms_defined(article.text))
    if indonesian:
        claims = _renamed(claims, short_names({c.speaker for c in claims}, runs, names, common))
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
