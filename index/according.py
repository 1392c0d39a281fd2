"""According to: the source a sentence names after "Menurut" or "According to".

`according_to` reads the speaker and role from what follows the phrase; the pieces
attribution.py shares with it (a tag's speaker, anaphors, a day aside) live here so that
imports point one way.
"""

import re

from index.english_attribution import THE_NAME, document_author, relayed_speaker
from index.reporting_verbs import EDGE
from index.roles import ENGLISH_TAIL, NAME_RUN, in_listed_name, split_role
from index.sentences import is_abbreviation

LONGEST_SPEAKER = 20  # words: a longer phrase is no speaker's name and office
_FIRST_WORDS = re.compile(rf"(?:\S+\s+){{0,{3 * LONGEST_SPEAKER}}}")
# A run of capitalised words and the clause that goes on after it, with no comma between.
_NAME_THEN_CLAUSE = re.compile(r"([A-Z][\w'’.)-]*(?:\s+[A-Z(][\w'’.)-]*)*)\s+[a-z]\S*\s+[a-z]")
ANAPHORS = re.compile(
    r"^(?:ia|dia|beliau|mereka|pihaknya|he|she|they|it|katanya|ujarnya|tegasnya|tuturnya|"
    r"ungkapnya)$|(?:\s|^)(?:itu|ini|tersebut)$",
    re.IGNORECASE,
)
DAY_ASIDE = re.compile(
    r",\s*(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)(?:\s*\([^)]*\))?\s*,",
)


_AFTER_STOPS = re.compile(
    r"[.;:]|\s(?:di|dalam|pada|kepada|dari|saat|ketika|usai|seusai|setelah|sebelum|sambil|"
    r"dikutip|seperti|selaku|sebagai|"
    r"in|at|on|as|to|"
    r"from)\s|,\s*(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b"
)


def speaker_after(rest: str) -> str:
    """Speaker named right after a quote tag: '," kata Stoltenberg.'; up to where the
    sentence goes on ("kepada wartawan", "dari AS"), past an abbreviation's full stop
    ("kata Dr. Jill M. Rabin kepada ...")."""
    rest = rest.strip()
    for stop in _AFTER_STOPS.finditer(rest):
        words = rest[: stop.start() + 1].split()
        if stop.group() == "." and words and is_abbreviation(words[-1]):
            continue
        return rest[: stop.start()].strip(EDGE)
    return rest.strip(EDGE)


# A source the text describes without naming: "an Internet posting made ...".
_UNNAMED_SOURCE = re.compile(
    r"^(an?\s+(?:[\w'’-]+\s+){0,3}?[a-z][\w-]*)(?:\s+(?:made|published|released|issued|"
    r"posted|seen|written)\b|$)"
)


# A source named by what it is, in small words: "police", "witnesses", "the event website".
_PLAIN_SOURCE = re.compile(r"(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*")


def according_to(after: str, english: bool) -> tuple[str, str, bool]:
    """(speaker, role, is_anaphor) for "Menurut ..." or "According to ...": the source named
    after it, up to its comma or the clause that goes on after the name."""
    parts = after.split(",", 2)
    if english and len(parts) == 3 and in_listed_name(parts[0], parts[1]):
        # "According to the Meteorology, Climatology and Geophysics Agency (BMKG), ..."
        parts = [parts[0] + "," + parts[1], *parts[2].split(",", 1)]
    relayed = relayed_speaker(parts) if english else ""
    if relayed:  # "According to ABC News, Basya also believes ...": Basya's
        return relayed, "", False
    phrase, whole = _according_phrase(parts, english)
    source = _according_source(phrase, parts, english)
    if source is not None:
        return source
    if not phrase or ANAPHORS.search(phrase) or not NAME_RUN.search(phrase):
        return "", "", True
    # (no comma after the name: "Menurut Sekretaris ... Syahrial Mucktar bantuan ini ...";
    # looked for within its first words, as no name and office run longer: the search,
    # and the role split after it, are quadratic in a run of capitalised words)
    reach = _FIRST_WORDS.match(phrase).end() + 1  # type: ignore[union-attr]
    clause = None if whole else _NAME_THEN_CLAUSE.search(phrase, 0, reach)
    phrase = phrase[: clause.end(1)] if clause else phrase
    if len(phrase.split()) > LONGEST_SPEAKER:
        return "", "", True  # no name: who spoke before, as after a tag
    return (*split_role(phrase, english), False)


def _according_phrase(parts: list[str], english: bool) -> tuple[str, bool]:
    """The phrase that names the source after "According to" (`parts`: what follows, split
    at its commas), and whether it is a title and name whole, not to be cut at a clause."""
    phrase = speaker_after(parts[0])
    if (
        english
        and len(parts) >= 2
        and parts[0].strip()[-1:].isalpha()
        and ENGLISH_TAIL.search(parts[0].strip())
        and len(parts[0].split()) <= 12
    ):  # "According to Afghan Ambassador to the United States Hamdullah Mohib, ..."
        return parts[0].strip(), True
    if english and (len(parts) == 1 or len(phrase.split()) > 5):
        # no comma after the name: "According to Rathbun the Scientology property"
        # (the name ends where the clause starts: "Rathbun the Scientology property
        # ...", "the Saudi Interior Ministry over 345 Muslim pilgrims ...")
        bare = re.match(
            r"((?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s+(?:the|a|an|[a-z]+|\d)\b",
            phrase,
        )
        phrase = THE_NAME.sub("", bare.group(1)) if bare else phrase
    return phrase, False


def _according_source(phrase: str, parts: list[str], english: bool) -> tuple[str, str, bool] | None:
    """(speaker, role, False) for a source after "According to" that is no name in the
    phrase: a document's author, a source described without a name, the name after a
    description and its comma, a plain noun phrase; None for any other."""
    author = document_author(phrase) if english else ""
    if author:  # "According to a statement from the U.S. embassy in Manila"
        return author, "", False
    unnamed = _UNNAMED_SOURCE.match(phrase) if english else None
    if unnamed:  # "According to an Internet posting made just over 24 hours ago"
        return unnamed.group(1), "", False
    if (
        len(parts) == 3
        and (not NAME_RUN.search(phrase) or phrase[:1].islower())
        and NAME_RUN.fullmatch(parts[1].strip() + " ")
        and not DAY_ASIDE.fullmatch(f", {parts[1].strip()},")  # "..., Senin, ..."
    ):  # "According to her campaign director, Kamal Yusof, the opposition ...",
        # "According to the Afghan team's coach, Alireza Mehraban, in their ..."
        return parts[1].strip(), phrase, False
    if english and phrase and _PLAIN_SOURCE.fullmatch(phrase):
        return phrase, "", False  # "according to police", "according to the event website"
    return None
