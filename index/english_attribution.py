"""English attribution: whom an English sentence credits where no plain name stands by
its verb.

A document speaks for whoever wrote it ("John Cornyn's statement added"); a source may
relay another ("According to Yonhap news agency, quoting KCNA, ..."); a spokesperson speaks
for the body named with them or just before ("a spokesman for the company"); a clause
speaks for its subject ("Han Ji-won has withdrawn her film, saying ..."); and a run of
office and body words holds a person's name ("NASA Administrator Charles Bolden").
"""

import re

from index.lexicon import BODY_WORDS, country_names, is_english_title
from index.roles import ENGLISH_NAME, PAREN, english_split, is_body, is_country, untitled

THE_NAME = re.compile(r"^(?:The|the)\s+(?=[A-Z])")  # "The" before a name: "The ICO"

# An English sentence's subject: a name of two words or more and the verb after it
# ("Chief executive Marcus Leigh apologised to users").
_ENGLISH_SUBJECT = re.compile(
    r"(?:^|[^\w'’])((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+)\s+(?:[a-z]+(?:ed|s))\b"
)


def english_subject(sentence: str) -> str:
    """The person an English sentence without a claim is about, as its subject."""
    found = _ENGLISH_SUBJECT.search(sentence)
    return untitled(english_split(found.group(1))[0])[0] if found else ""


# An English clause's subject: the first name with a verb after it.
_CLAUSE_SUBJECT = re.compile(rf"(?:^|[^\w'’])({ENGLISH_NAME})\s+(?:[a-z]+(?:ed|s))\b")


def clause_subject(text: str) -> str:
    """The first name in an English clause followed by a verb: "The Union of Rationalist
    Atheists and Agnostics (UAAR) has launched a petition ..." -> its name."""
    found = _CLAUSE_SUBJECT.search(PAREN.sub("", text))
    return english_split(found.group(1))[0] if found else ""


# Words that say the capitalised words around them are an office or a body, not a name.
_OFFICE_WORDS = {
    "administrator", "officer", "treasurer", "curator", "editor", "founder", "co-founder",
    "ceo", "cfo", "head", "chief", "manager", "leader", "relations", "affairs", "education",
    "health", "defence", "defense", "justice", "interior", "finance", "state",
}  # fmt: skip
# Offices held by a person, which stand right before the holder's name.
_OFFICE_HOLDERS = {
    "administrator", "officer", "treasurer", "curator", "editor", "founder", "co-founder",
    "ceo", "cfo", "chief", "manager", "leader", "head",
}  # fmt: skip
_SIGNAL_REACH = 6  # words before a run looked at for an office, a body or a place
_RUN_JOINS = {"of", "to", "the", "on", "for", "at", "-", "–"}
_PERSON_BEFORE_BODY = re.compile(
    r"^((?:[A-Z][\w'’.-]*\s+){1,2}[A-Z][\w'’.-]*)\s+(?:for|of|at|from)\s+[A-Z].*$"
)
_LEADING_PREPOSITION = re.compile(r"^(?:with|by|from|for|of|to|and|[Bb]oth(?:\s+the)?)\s+(?=\S)")


def _office_word(word: str) -> bool:
    """A title, an office, a body's word, an acronym or a country: not part of a name."""
    bare = word.strip(".,'’-")
    lower = bare.lower()
    return bool(bare) and (
        is_english_title(bare)
        or lower in _OFFICE_WORDS
        or lower in BODY_WORDS
        or (len(bare) >= 2 and bare.isupper() and bare.isalpha())
        or lower in country_names()
    )


def english_person(speaker: str, text: str) -> str:
    """A person's name out of the office and body words a run of capitalised words holds
    with it: "NASA Administrator Charles Bolden" -> "Charles Bolden", "of Washington Chris
    Gregoire" (after "Governor") -> "Chris Gregoire", "Lydia Buchtmann for Food Standards
    Australia New Zealand" -> "Lydia Buchtmann". A body's own name stays whole."""
    speaker = _LEADING_PREPOSITION.sub("", speaker)  # "with one poster"
    before_body = _PERSON_BEFORE_BODY.match(speaker)
    if before_body and not any(_office_word(w) for w in before_body.group(1).split()):
        return before_body.group(1)
    words = speaker.split()
    for k in (3, 2, 1):  # a country before a name: "United States Hamdullah Mohib"
        rest = " ".join(words[k:])
        if len(words) - k in (2, 3) and is_country(" ".join(words[:k])) and not is_body(rest):
            return rest
    if len(words) < 3 or not all(w[:1].isupper() for w in words):
        return speaker
    if is_english_title(words[-3]) or words[-3].strip(".,").lower() in _OFFICE_HOLDERS:
        return " ".join(words[-2:])  # "Port Authority Administrator Lena Moravec"
    if is_body(speaker):
        return speaker
    if any(_office_word(w) for w in words[:-2]):  # "NASA Administrator Charles Bolden"
        return " ".join(words[-2:])
    # the run goes on an office's or body's name written before it and joined to it:
    # "Governor of | Washington Chris Gregoire", "University of | Texas Arlington Amneh
    # Jafari", "Ambassador to the | United States Hamdullah Mohib" (not "Deputy Minister |
    # Tran Quoc Bao", where the title stands right before the whole name)
    at = text.find(speaker)
    before = text[max(0, at - 80) : at].split()[-_SIGNAL_REACH:] if at >= 0 else []
    joined = bool(before) and before[-1].lower() in _RUN_JOINS
    if joined and any(w[:1].isupper() and _office_word(w) for w in before):
        return " ".join(words[-2:])
    return speaker


# A document speaks for whoever wrote it: "John Cornyn's statement added", "PC World's
# recent analysis ... concluded", "a statement from the U.S. embassy in Manila", "the post
# by an unknown author".
_DOCUMENTS = (
    r"(?:statement|analysis|report|letter|post|blog|website|study|survey|article|editorial|"
    r"release|tweet|account|message|memo|filing|complaint|submission)"
)
_OWNED_DOCUMENT = re.compile(
    rf"^(.*?[A-Z][\w.&-]*)['’]s\s+(?:[\w-]+\s+){{0,3}}{_DOCUMENTS}\b", re.IGNORECASE
)
_DOCUMENT_BY = re.compile(
    rf"^(?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+){{0,2}}{_DOCUMENTS}\s+(?:from|by|of)\s+(.+)$",
    re.IGNORECASE,
)


def document_author(phrase: str) -> str:
    """Who wrote the document a phrase names ("John Cornyn's statement" -> "John Cornyn"),
    or ""."""
    owned = _OWNED_DOCUMENT.match(phrase.strip())
    if owned:
        return owned.group(1).strip()
    by = _DOCUMENT_BY.match(phrase.strip())
    return THE_NAME.sub("", by.group(1).strip()) if by else ""


# The source relays another: "According to Yonhap news agency, quoting ... KCNA, ...",
# "According to ABC News, Basya also believes ...": the statement is the other's.
_QUOTING = re.compile(rf"^\s*quoting\s+(?:.*?\s)?({ENGLISH_NAME})\s*(?:\([^)]*\))?\s*$")
_NAME_REPORTS = re.compile(
    rf"^\s*({ENGLISH_NAME})\s+(?:also\s+)?(?:believes|thinks|said|says|claims|told|added|"
    r"stated|warned|insisted)\b"
)


def relayed_speaker(parts: list[str]) -> str:
    """After "According to X,": the one whose statement X relays, or ""."""
    if len(parts) < 2:
        return ""
    quoting = _QUOTING.match(parts[1])
    if quoting:
        return english_split(quoting.group(1))[0]
    reports = _NAME_REPORTS.match(parts[1] if len(parts) == 2 else parts[1] + "," + parts[2])
    return english_split(reports.group(1))[0] if reports else ""


# A spokesperson speaks for a body; the text names it in the sentence or just before.
SPOKESPERSON = re.compile(
    r"(?i:an?)\s+(spokesperson|spokesman|spokeswoman)(?:\s+for\s+(the\s+[a-z][\w-]*|.+))?"
)


def spokesperson(spokes: re.Match[str], near: str, text: str) -> str:
    """ "a spokesman for <body>": the body written after "for", or, for "a spokesman" alone
    or "for the company", the body that spoke just before in the paragraph, named as the
    text names it ("the Department of Health", "West Carrow County Council")."""
    word, of = spokes.group(1).lower(), spokes.group(2)
    plain = (of or "").split()
    resolves = not of or (
        len(plain) == 2
        and plain[0] == "the"
        and (near.lower().endswith(" " + plain[1]) or (plain[1] in BODY_WORDS and is_body(near)))
    )
    if not resolves or not near or not (is_body(near) or of):
        return f"a {word} for {of}" if of else spokes.group(0)
    at = text.find(near)
    the = "the " if at >= 4 and text[at - 4 : at].lower() == "the " else ""
    return f"a {word} for {the}{near}"
