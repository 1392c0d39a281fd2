"""Reading: an article's body read in order, keeping who spoke and who was named last, so
that each claim's speaker resolves to the name the article gives them.

A sentence names its speaker as it likes: "ia", "katanya", "he said" (the speaker before,
or the person the text is about), "the ministry" (the body named so), "Dr Hale" or
"Menteri Susi" (the person named in full before). `Body` holds what the whole body says
about its words, read once; `Reading` who the sentences read so far named and where;
`claim_speaker` resolves the speaker at a claim's reporting verb against both.
"""

import re
from dataclasses import dataclass, field

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
    described_name,
    full_name,
    named_speaker,
    pair_named,
)
from index.lexicon import BODY_WORDS, is_english_title, is_role_word
from index.name_index import Descriptions, NameRuns
from index.roles import after_opener, is_body, name_start, untitled

# A possessive before a lower-case word: "Alcantara's office" is Alcantara's.
_OWNER = re.compile(r"([A-Z][\w-]+)['’]s\s+[a-z]")
# A capitalised word where no sentence starts: a name, not a sentence's opener.
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z0-9,;] )[A-Z][\w'’-]*")


@dataclass(frozen=True)
class Body:
    """What the article's whole body says about its words, read once before its claims."""

    article: Article
    indonesian: bool  # the dictionary of role words is Indonesian
    names: set[str]  # capitalised where no sentence starts
    common: set[str]  # words the article writes small
    runs: NameRuns
    names_of: Descriptions


def read_body(article: Article) -> Body:
    """The article's names, small words, runs of names and descriptions, over its body."""
    text = " ".join(article.text[a:b] for a, b in article.body)
    names = set(_MID_SENTENCE_CAPITAL.findall(text))  # capitalised where no sentence starts
    common = {w for w in re.findall(r"\b[a-z][\w-]*", text)}  # words the article writes small
    indonesian = article.language == "id"  # the dictionary of role words is Indonesian
    runs = NameRuns(article.text, article.body[0][0], english=not indonesian, small=common)
    names_of = Descriptions(article.text, article.body[0][0], english=not indonesian)
    return Body(article, indonesian, names, common, runs, names_of)


@dataclass
class Reading:
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


def note_subject(reading: Reading, sentence: str, at: int, indonesian: bool) -> None:
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


def claim_speaker(
    body: Body, reading: Reading, sentence: str, verb: re.Match[str], at: int, para_start: int
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


def _said_by(body: Body, reading: Reading, sentence: str, verb: re.Match[str]) -> tuple[str, str]:
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
    body: Body, reading: Reading, said_by: tuple[str, str], at: int, para_start: int
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
    body: Body, roles: Speakers, said_by: tuple[str, str], at: int
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


def _after_office(body: Body, roles: Speakers, said_by: tuple[str, str]) -> tuple[str, str]:
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
    body: Body, roles: Speakers, said_by: tuple[str, str], at: int
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
