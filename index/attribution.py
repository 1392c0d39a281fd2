"""Attribution: who a sentence says spoke, read from the words around its reporting verb.

`find_speaker` takes the speaker and their role from after a tag ('," kata Stoltenberg'),
after "Menurut" or "According to" (according.py), or from the subject before the verb
("Sekretaris Jenderal NATO Jens Stoltenberg mendesak ..."); a pronoun or a tag without a
name ("ia", "katanya", "he said") is an anaphor: the claim is the speaker's named before.
"""

import re

from index.according import ANAPHORS, DAY_ASIDE, LONGEST_SPEAKER, according_to, speaker_after
from index.english_attribution import (
    SPOKESPERSON,
    THE_NAME,
    clause_subject,
    document_author,
    english_subject,
)
from index.quotations import QUOTE_CLOSED
from index.reporting_verbs import EDGE, SPEAKER_AFTER, TAG_WORDS
from index.roles import (
    ENGLISH_JOINS,
    ENGLISH_TAIL,
    FILLER,
    PAREN,
    STOP_CAPS,
    in_listed_name,
    split_role,
)

# A news lead before the first sentence: "London (ANTARA) - ", "Jakarta - ", "JAKARTA,
# KOMPAS.com - ", "Jakarta, CNN Indonesia -- ", "Bandung — ": a place of up to four
# capitalised words, the agency in brackets or the outlet after a comma, a dash, and the
# sentence's capitalised start. Never part of a speaker or a role.
_LEAD_WORDS = r"[A-Z][\w.'’]*(?:[ ][A-Z][\w.'’]*){0,3}"
_DATELINE = re.compile(
    r"^[A-Z][\w .'-]{1,40}?\s*\([^)]*\)\s*[-–—]\s*"
    rf"|^\s*{_LEAD_WORDS}(?:\s*\([^)]*\))?(?:,\s*{_LEAD_WORDS})?\s+(?:--?|[–—])\s+(?=[A-Z])"
)
_NAME_BEFORE_VERB = re.compile(
    r"((?:[A-Z][\w'’-]*\s+){1,3})(?=(?:me|ber|ter|di)\w+|telah|juga|kemudian|pun)"
)
_CONNECTIVE = re.compile(r"\b(?:dan|atau|yang|and|or|that|which|bahwa)\b", re.IGNORECASE)
_PREPOSITION = re.compile(
    r"(?:kepada|di|dalam|pada|dari|untuk|bagi|saat|ketika|to|in|at|on|during|after|before)\b"
)
# An English clause that opens with a verb, not a subject: "welcomed the plan but".
_VERB_PHRASE = re.compile(r"[a-z]+ed\b(?!\s+by\b)")
# A relative clause after a speaker is not their name: "dokter gigi berusia 51 yang ...",
# nor is the role after "selaku" (as): "Ovi selaku salah satu personel Duo Serigala".
RELATIVE = re.compile(r"\s+(?:yang|who|whose|which|selaku)\s+")


# A conjunction that opens the clause of the subject: "..., setelah dua penulis Selandia
# Baru memperingatkan", "..., after the union said".
_CONJUNCTION = re.compile(
    r"^(?:setelah|sebelum|ketika|saat|karena|sehingga|meski|walaupun|sedangkan|sementara|"
    r"after|before|when|while|because|although|as)\s+",
    re.IGNORECASE,
)


# An adverb between a name and its verb: "President Donald Trump personally asked",
# "Kevin Bergner further said".
_ADVERB_AFTER_NAME = re.compile(
    r"(\b[A-Z][\w'’.-]*)(?:\s+(?:[a-z]+ly|further|later|again|earlier|often|still|once))+\s*$"
)


def _clean_subject(text: str) -> str:
    text = _ADVERB_AFTER_NAME.sub(r"\1", text)
    text = _DATELINE.sub("", text)
    text = FILLER.sub(_unfilled, text)
    return _CONJUNCTION.sub("", re.sub(r"\s+", " ", text).strip(EDGE))


def _unfilled(match: re.Match[str]) -> str:
    """A filler word taken out of a subject ("Jokowi juga" -> "Jokowi"), but not a small
    one between two capitalised words: "Sekali lagi Rikwanto" is an opener and a name,
    not the name "Sekali Rikwanto"."""
    text, start, end = match.string, match.start(), match.end()
    before, after = text[:start].split()[-1:], text[end:].split()[:1]
    between = before and after and before[0][:1].isupper() and after[0][:1].isupper()
    return match.group() if between and match.group().islower() else " "


def last_name_before_verb(text: str) -> str:
    """The last capitalised name followed by a verb-like word: "Stoltenberg berbicara ..."."""
    found = ""
    for match in _NAME_BEFORE_VERB.finditer(text):
        if match.group(1).split()[0] not in STOP_CAPS:
            found = match.group(1)
    return found


# "Devocht, who had told Montalvo ...": the name before the relative pronoun.
_WHO_BEFORE = re.compile(r",\s+who\s+(?:(?:had|has|have|also|later|then|once)\s+)*$")
# The verbs and auxiliaries before a participle: "has reacted by proposing", "have
# started asking".
_BEFORE_PARTICIPLE = re.compile(
    r"(?:\s+(?:has|have|had|is|are|was|were|been|be|also|then|\w+ed|by))+\s*$"
)


def _name_like(part: str) -> bool:
    """Whether a part between commas is a name (capitalised words and the small words of a
    body's name), not a description ("Director of the National Iodine Nutrition study")."""
    words = _clean_subject(part).split()
    return (
        bool(words)
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w in ENGLISH_JOINS for w in words)
    )


def find_speaker(
    sentence: str, verb: re.Match[str], english: bool = False
) -> tuple[str, str, bool]:
    """(speaker, role, is_anaphor) for the verb in the sentence."""
    word = verb.group(1).lower()
    if word.endswith("nya"):
        return "", "", True
    before = DAY_ASIDE.sub(" ", sentence[: verb.start()])
    after = sentence[verb.end() :]
    if word in ("menurut", "according to"):  # "Menurut situs Transfer Market Web, ..."
        return according_to(after, english)
    if word in SPEAKER_AFTER or word in TAG_WORDS or QUOTE_CLOSED.search(before):
        return _after_tag(after, english)
    if english and word.endswith("ing") and before.rstrip().endswith(","):
        # "Han Ji-won has withdrawn her film, saying ...": the subject of the clause before
        subject = english_subject(before) or clause_subject(before)
        return (subject, "", False) if subject else ("", "", True)
    if english and word.endswith("ing"):  # "Roberto Maroni, has reacted by proposing"
        before = _BEFORE_PARTICIPLE.sub(" ", before)
    if english and _WHO_BEFORE.search(before):  # "Devocht, who had told Montalvo ..."
        tail = ENGLISH_TAIL.search(before[: _WHO_BEFORE.search(before).start()])  # type: ignore[union-attr]
        if tail:
            return (*split_role(tail.group(), english), False)
    return _subject_speaker(_subject_segment(before, english), before, english)


def _after_tag(after: str, english: bool) -> tuple[str, str, bool]:
    """(speaker, role, is_anaphor) for a tag after what was said ('," kata Stoltenberg',
    '," he said'): the speaker named after it, else an anaphor."""
    phrase = RELATIVE.split(speaker_after(after), maxsplit=1)[0].strip(EDGE)
    author = document_author(phrase) if english else ""
    phrase = author or phrase  # '," said the post by an unknown author on pigmy.'
    named = phrase.split(",", 1)[0]  # "kata dia, tarian ...": who, then the sentence
    if phrase and not ANAPHORS.search(FILLER.sub("", named).strip()) and len(phrase.split()) <= 15:
        return (*split_role(phrase, english), False)
    return "", "", True


def _subject_segment(before: str, english: bool) -> str:
    """The part of the text before the verb that names its subject: the last part between
    commas, or the name before the apposition or descriptions the commas close."""
    # (a trailing comma closes an apposition: "Its director, Simon Pryce, said"; one that
    # opens small describes the name before it: "The ICO, the country's regulator, said",
    # "Priya Nair, who first reported the leak, accused")
    head, comma, aside = before.rstrip().removesuffix(",").rpartition(",")
    while english and comma and in_listed_name(head, aside):  # "The Ministry of Culture, Sports
        head, comma, rest = head.rpartition(",")  # and Tourism said": one name
        aside = rest + "," + aside
    closed = bool(comma) and _closes_apposition(before, head, aside, english)
    # (in English a part that opens with a verb goes on from the subject before it and its
    # aside: "Patient Voice Ireland, a charity, welcomed the plan but said")
    if english and comma and not closed and _VERB_PHRASE.match(aside.strip()):
        head, closed = _before_small_asides(head), True
    if english and closed and "," in head:
        # "Professor Cres Eastman, Director of the ... study, and Chairman of ..., says":
        # back over the descriptions to the name they describe
        parts = head.split(",")
        while len(parts) > 1 and not _name_like(parts[-1]):
            parts.pop()
        head = ",".join(parts)
    segment = _clean_subject(head.rsplit(",", 1)[-1] if closed else aside)
    if english and not segment and comma:  # "The security firm Secunia.com, has said"
        # "Mohamed Nasheed, the leader of the Maldives, has announced"
        segment = _clean_subject(_before_small_asides(head).rsplit(",", 1)[-1])
    return segment


def _before_small_asides(head: str) -> str:
    """`head` without the parts after its commas that open small: asides that describe
    the name before them ("Patient Voice Ireland, a charity")."""
    parts = head.split(",")
    while len(parts) > 1 and parts[-1].strip()[:1].islower():
        parts.pop()
    return ",".join(parts)


def _closes_apposition(before: str, head: str, aside: str, english: bool) -> bool:
    """Whether the part after the last comma before the verb (`aside`, after `head`) is
    an aside about the name before it, not the subject."""
    closed = before.rstrip().endswith(",") and aside.strip()[:1].islower()
    # (a part that opens with a preposition is no subject: "Itsunori Onodera, kepada para
    # wartawan mengatakan")
    closed = closed or bool(_PREPOSITION.match(aside.strip()))
    # (an age after a name closes its apposition too: "Thomas Sam, 42, said")
    closed = closed or (english and aside.strip().isdigit())
    # (an aside in capitals that is no name describes the name before it: "U.S. Senator
    # John Cornyn, Republican from Texas, issued a statement")
    last_part = head.rsplit(",", 1)[-1]
    if english and not closed and len(last_part.split()) >= 2:
        closed = _name_like(last_part) and not _name_like(aside)
    return closed


def _subject_speaker(segment: str, before: str, english: bool) -> tuple[str, str, bool]:
    """(speaker, role, is_anaphor) for the subject `segment` of the verb: a document's
    author, a spokesperson, a name and its role, a plain noun phrase; else the last name
    before a verb-like word in `before`."""
    author = document_author(segment) if english else ""
    if author:  # "John Cornyn's statement added"
        return author, "", False
    if english and SPOKESPERSON.fullmatch(segment):  # "A spokesperson for the ministry"
        return segment, "", False
    segment = THE_NAME.sub("", PAREN.sub("", segment))  # "The Indonesian Red Cross said"
    if english and re.match(r"(?:The|the)\s+[a-z][\w-]*\s+(?:[a-z][\w-]*\s+)*[A-Z]", segment):
        segment = segment.split(None, 1)[1]  # "The secularist magazine MicroMega"
    if segment and ANAPHORS.search(segment):
        return "", "", True
    words = segment.split()
    if 0 < len(words) <= LONGEST_SPEAKER and words[-1][:1].isupper() and words[0] not in STOP_CAPS:
        return (*split_role(segment, english), False)
    if segment and len(segment.split()) <= 3 and not _CONNECTIVE.search(segment):
        return segment, "", False  # a plain noun phrase: "sekutu Barat", "the minister"
    name = last_name_before_verb(before)
    return (*split_role(name, english), False) if name else ("", "", True)
