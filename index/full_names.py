"""Full names: the one name an article gives each of its speakers.

After the first time, news names a speaker short: by the family name ("Stoltenberg" for
the "Jens Stoltenberg" named before), by title and given name ("Menteri Susi"), by what
they are ("the minister", "the trust"), by acronym ("ASIC", spelled out before as the
"Australian Securities and Investments Commission (ASIC)"), or, in Indonesian, by a short
name made of the full name's syllables ("Jokowi" for Joko Widodo). `Speakers` holds whom
the article named so far; the functions here find the full name among them or in the text.
"""

import re
from collections.abc import Iterable

from index.lexicon import is_role_word
from index.name_index import Descriptions, NameRuns
from index.roles import FILLER, STOP_CAPS, is_country, split_role


class Speakers(dict[str, str]):
    """The speakers an article named so far, each with its role, in the order first
    named, and found by their last and first words: looking a name up at every claim
    by scanning them all made an article with thousands of speakers take minutes."""

    def __init__(self) -> None:
        super().__init__()
        self._by_end: dict[str, list[str]] = {}  # what follows a space in a name -> names
        self._by_first: dict[str, list[str]] = {}  # names of two words or more
        self._order: dict[str, int] = {}  # speaker -> when first named
        self._by_role: dict[str, set[str]] = {}  # a word of a role -> speakers it was given

    def __setitem__(self, speaker: str, role: str) -> None:
        words = speaker.split()
        if speaker not in self and words:
            for at, char in enumerate(speaker):
                if char == " ":
                    self._by_end.setdefault(speaker[at + 1 :], []).append(speaker)
            if " " in speaker:
                self._by_first.setdefault(words[0], []).append(speaker)
        self._order.setdefault(speaker, len(self._order))
        for word in role.lower().split():
            self._by_role.setdefault(word, set()).add(speaker)
        super().__setitem__(speaker, role)

    def latest_with_role(self, word: str) -> str:
        """The speaker named last (first named latest) whose role has this word, or ""."""
        holders = [s for s in self._by_role.get(word, ()) if word in self[s].lower().split()]
        return max(holders, key=self._order.__getitem__, default="")

    def ending(self, name: str) -> list[str]:
        """The speakers, other than `name`, whose name ends with it: "Jens Stoltenberg"."""
        if not name.split():
            return []
        return [s for s in self._by_end.get(name, []) if s != name]

    def starting(self, given: str) -> list[str]:
        """The speakers of two words or more whose name starts with this given name."""
        return list(self._by_first.get(given, []))


def full_name(name: str, known: Speakers, runs: NameRuns | None = None, at: int = 0) -> str:
    """ "Stoltenberg" -> "Jens Stoltenberg" when the article named him in full before: as
    a speaker, or anywhere in the text before position `at` ("Mayor Eleanor Whitcombe,
    who ...")."""
    fuller = known.ending(name)
    if len(fuller) > 1:  # two people of that name: "Okafor" is neither by guess
        return name
    if fuller:
        return fuller[0]
    if runs is not None and runs.english and " " in name:
        return _longer_name(name, runs, at)  # "Western Link" -> "Western Link Railways"
    if runs is None or " " in name or not name[:1].isupper():
        return name
    for start, words in runs.before(name, at):
        first = words[0]
        # capitalised for opening the sentence: "Kemudian Tito"; or the lead after a
        # dateline's dash, where names lead, when the article also writes it small:
        # "Jakarta, CNN Indonesia - - Keputusan Lorde ..." (not "... - Maria Sharapova")
        lead = runs.after_dash(start) and first.lower() in runs.small
        if first != name and (runs.opens_sentence(start) or lead):
            words = words[1:]
        words = [w for w in words if w not in STOP_CAPS and not FILLER.fullmatch(w)]
        if not words:
            continue
        if name not in words[:-1]:
            # a family name last ("Mayor Eleanor Whitcombe" for "Whitcombe")
            full = split_role(" ".join(words), runs.english)[0] if words[-1:] == [name] else ""
        else:  # a given name, titles before it ("Kombes Asep Adi Saputra" for "Asep")
            full = " ".join(words[words.index(name) :])
        if full != name and 2 <= len(full.split()) <= 4:
            return full
    return name


def _longer_name(name: str, runs: NameRuns, at: int) -> str:
    """An English name of two words or more as the text wrote it in full before, when it
    wrote exactly one longer name that starts with it ("Western Link Railways")."""
    longer = runs.longer_before(name.split(), at)
    return longer[0] if len(longer) == 1 else name


def pair_named(words: list[str], runs: NameRuns, at: int) -> str:
    """For a two-word speaker, the name as the text wrote it before, when there both words
    stand together in a run of capitalised words ("Menteri Keuangan Sri Mulyani Indrawati"
    for "Sri Mulyani"); "" when they never did ("Menteri Susi")."""
    run = runs.pair_before(words, at)
    if run is None:
        return ""
    name = run[run.index(words[1]) - 1 :]
    return " ".join(name) if len(name) <= 4 else ""


# A speaker given by description: "the defender", "The prosecutor", "the trust".
DESCRIPTION = re.compile(r"(?i:the|this|its|their)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)")


def described_name(description: str, cut: int, roles: Speakers, names: Descriptions) -> str:
    """Who "the <description>" is, said at `cut`: the latest speaker with that role, else
    the name the text gave before `cut` right after that word ("defender Liam Carter") or
    ending with it ("Northern Pennines Hospital Trust"); "" when the article does not say."""
    head = description.split()[-1]
    return roles.latest_with_role(head) or names.after(head, cut) or names.ending(head, cut)


_INDONESIAN_PRONOUNS = ("ia", "dia", "beliau", "mereka", "kami", "kita", "saya", "aku", "anda")
PRONOUNS = {
    *_INDONESIAN_PRONOUNS,
    *(p + "pun" for p in _INDONESIAN_PRONOUNS),  # "Iapun": "ia pun" written as one
    "he", "she", "they", "we",
}  # fmt: skip

_LOWER_TAIL = re.compile(r"^((?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*)((?:\s+[a-z][\w-]*)+)$")


# Invisible format marks and list marks that can stand before a sentence's first word.
_UNSEEN = " \t\u200b\u200c\u200d\u200e\u200f\u2060\ufeff–—-*•·"


def named_speaker(
    speaker: str, names: set[str], common: set[str], indonesian: bool = True
) -> tuple[str, bool]:
    """The speaker with what is not their name taken off, and whether only a common word
    capitalised for opening the sentence was left ("Pertumbuhan", "Padahal": the article
    writes it small elsewhere and never capitalised inside a sentence); then the claim is
    the speaker's before, as for "ia". "Gatot ditemui" -> "Gatot": words after a name that
    are not capitalised are not part of it ("sekutu Barat" stays)."""
    speaker = speaker.strip(_UNSEEN)  # "\u200eDia", "*Kami": marks before the word
    words = speaker.split()
    if (
        not any(ch.isalpha() for ch in speaker)
        or words[-1].lower() in PRONOUNS
        or speaker.lower() in ("i", "you")  # not the "I" of "Armand Mel I"
        # "Dia cukup aktif mengajak", "Mereka hanya mengimbau": a pronoun and small words
        or (words[0].lower() in PRONOUNS and all(w[:1].islower() for w in words[1:]))
    ):
        return speaker, True  # "saat itu ia", "Jadi kami", "Saya": who the text said before
    tail = _LOWER_TAIL.match(speaker) if indonesian else None  # English: "A CARB-X spokesperson"
    if tail and any(w in names for w in tail.group(1).split()):
        speaker = tail.group(1)
    if (
        " " not in speaker
        and speaker not in names
        and speaker.lower() in common
        and (indonesian or speaker[:1].isupper())  # "researchers say": a description
    ):
        return speaker, True
    return speaker, False


def longest_names(said_by: Iterable[str]) -> dict[str, str]:
    """One name per person in an article: a speaker whose name ends another speaker's name
    is that speaker ("Mulyani Indrawati", cut from a long title, is "Sri Mulyani
    Indrawati" where the article writes that too). `said_by`: the claims' speakers, in
    order; returns {speaker: the longer name}."""
    speakers = Speakers()
    for speaker in said_by:
        speakers[speaker] = ""
    longer = {}
    for name in speakers:
        others = [o for o in speakers.ending(name) if len(o.split()) <= 4 and _as_name(o)]
        full = max(others, key=len, default="")
        if others and all(full.endswith(o) for o in others):  # not "Ann Lee" and "Bo Lee"
            longer[name] = full
        elif (name[:1].islower() or name.startswith("The ")) and len(name.split()) >= 2:
            # a description written shorter later: "armada ketujuh Amerika Serikat" is the
            # "komando armada kapal ketujuh Amerika Serikat" of before, when only it holds
            # all its words in order, ending the same
            fuller = [o for o in speakers if o != name and _holds_in_order(o, name)]
            if len(fuller) == 1:
                longer[name] = fuller[0]
    return longer


def _holds_in_order(longer: str, shorter: str) -> bool:
    """Whether `longer`'s words hold all of `shorter`'s, in order, and end with its last."""
    words, short = longer.casefold().split(), shorter.casefold().split()
    if len(words) <= len(short) or words[-1] != short[-1]:
        return False
    found = iter(words)
    return all(w in found for w in short)


_PARTICLES = {"of", "and", "dan", "bin", "binti", "van", "von", "de", "der", "da", "al", "el"}


def _as_name(speaker: str) -> bool:
    """Written as a name: no small word but a name's particles ("Lebih lanjut Awi" is an
    opener before "Awi", not a fuller name of him)."""
    return all(w[:1].isupper() or w in _PARTICLES for w in speaker.split())


def short_names(
    speakers: set[str], runs: NameRuns, names: set[str], common: set[str]
) -> dict[str, str]:
    """One name per person, for the short names Indonesian news makes from the start of a
    full name's words ("Jokowi" for Joko Widodo, "Setnov" for Setya Novanto, "Sandi" for
    Sandiaga Uno): a one-word speaker that is no dictionary word, or one the article
    writes as a name only (capitalised inside sentences, never small: "Sandi" is also the
    word for a code), is the full name the article writes somewhere, when exactly one name
    of two or three words gives it ({speaker: the full name}). `names`, `common`: as in
    `extract_claims`."""
    full_names = {
        " ".join(words[k : k + n])
        for words in runs.words
        for n in (2, 3)
        for k in range(len(words) - n + 1)
        if not any(is_role_word(w) or not w.isalpha() for w in words[k : k + n])
    }
    found: dict[str, str] = {}
    for speaker in speakers:
        as_name = (
            speaker in names
            and speaker.lower() not in common
            and not speaker.isupper()
            and not is_country(speaker)  # "Indonesia" is not "Indonesian Australia"'s
        )
        if " " in speaker or not speaker.isalpha() or (is_role_word(speaker) and not as_name):
            continue
        fits = {n for n in full_names if _shortens(speaker.lower(), n.lower().split())}
        if len(fits) == 1:
            found[speaker] = fits.pop()
    return found


def _shortens(short: str, words: list[str]) -> bool:
    """Whether `short` is the start of the first word and of a later one ("jokowi": "joko"
    + "wi"dodo), or the first word's start of four letters or more ("sandi")."""
    first = words[0]
    if len(short) >= 4 and first.startswith(short) and short != first:
        return len(words) == 2
    return any(
        short == first[:i] + later[: len(short) - i]
        for later in words[1:]
        for i in range(2, len(short) - 1)
        if first.startswith(short[:i]) and len(short) - i <= len(later)
    )


# "Australian Securities and Investments Commission (ASIC)", "Badan Pusat Statistik (BPS)"
_ACRONYM_IN_PARENS = re.compile(r"\(([A-Z]{2,6})\)")
_CAPITALISED_END = re.compile(r"[A-Z][\w'’-]*\Z")  # "Komisi", and the end of "/Komisi"
_SMALL_JOINS = {"of", "and", "for", "the", "on", "dan", "untuk", "serta"}
_LONGEST_SPELLED = 12  # words looked at before "(ACR)": its letters and the joins between


def initials(name: str) -> str:
    """A name's initials as an acronym gives them: "Badan Pusat Statistik" -> "BPS"."""
    words = [w for w in re.split(r"[\s,]+", name) if w and w.lower() not in _SMALL_JOINS]
    return "".join(w[0] for w in words).upper()


def acronyms_defined(text: str) -> dict[str, str]:
    """The acronyms a text spells out where it first uses them, each with its full name:
    the capitalised words right before "(ACR)" whose initials are its letters (a bounded
    look back: a run of thousands of capitalised words costs no more than a short one)."""
    found: dict[str, str] = {}
    for match in _ACRONYM_IN_PARENS.finditer(text):
        acronym = match.group(1)
        before = text[max(0, match.start() - 40 * _LONGEST_SPELLED) : match.start()]
        words = before.split()[-_LONGEST_SPELLED:]
        for k in range(len(words) - 1, -1, -1):  # the shortest tail that gives the letters
            if words[k] in _SMALL_JOINS and k < len(words) - 1:
                continue
            word = words[k] if k == len(words) - 1 else words[k].removesuffix(",")
            head = _CAPITALISED_END.search(word)
            if head is None:
                break
            name = " ".join([words[k][head.start() :], *words[k + 1 :]]).strip(",")
            if initials(name) == acronym:
                found.setdefault(acronym, name)
                break
            if head.start() > 0:  # the name can start inside a word, not reach past it
                break
    return found
