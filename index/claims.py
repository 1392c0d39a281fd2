"""Claims: assertions attributed to someone, found in an article's body.

A claim is a sentence (with the sentences that continue it) carrying a reporting verb:
"Stoltenberg mendesak ...", '"...," katanya', "Korut telah membantah ...", "X said".
Its speaker is the name next to the verb, or, for "ia", "dia", "katanya", "Sekjen NATO
itu", "pihaknya", the speaker named before it in the same article.
"""

import re
from collections.abc import Iterable, Mapping
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
    FILLER,
    STOP_CAPS,
    after_opener,
    is_body,
    is_country,
    name_start,
    split_role,
    untitled,
)
from index.sentences import split_sentences

_OWNER = re.compile(r"([A-Z][\w-]+)['’]s\s+[a-z]")


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
    roles = _Speakers()
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
                if subject and subject.split()[-1].lower() not in _PRONOUNS:
                    last_subject = (_full_name(subject, roles), "")
                    subject_at = s
                continue
            speaker, role, anaphor = find_speaker(sentence, verb, not indonesian)
            speaker = RELATIVE.split(speaker, maxsplit=1)[0]
            if not anaphor:
                speaker, anaphor = _named(speaker, names, common, indonesian)
            if anaphor:  # "ia", "katanya": the speaker before, or the person the text is about
                # (in English the one named last; Indonesian subjects are found too loosely)
                later = not indonesian and subject_at > last_at and last_subject[0]
                speaker, role = last_speaker if last_speaker[0] and not later else last_subject
            if not speaker:
                continue
            described = _DESCRIPTION.fullmatch(speaker.strip())
            if described:  # "the defender", "the mayor": the person the article named so
                # (before the tag, in this sentence too: "Vietnam's Ministry of Industry
                # and Trade has ordered ..., the ministry said")
                named = _described(described.group(1).lower(), s + verb.start(), roles, names_of)
                head = described.group(1).split()[-1]
                last = "" if _DESCRIPTION.fullmatch(last_speaker[0]) else last_speaker[0]
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
                speaker, more = untitled(_full_name(speaker, roles, runs, s))
                owner = _OWNER.match(speaker)  # "Alcantara's office": Teresa Alcantara's
                if owner:
                    full = _full_name(owner.group(1), roles, runs, s)
                    speaker = full + speaker[owner.end(1) :]
                role = role or honorific or more
            speaker = _full_name(speaker.strip(), roles, runs, s)
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
                pair = _pair_named(words, runs, s)
                full = _full_name(words[1], roles, runs, s)
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
    claims = _renamed(claims, _longest_names(c.speaker for c in claims))
    # an acronym speaker is the body the article spelled it out as: "ASIC said" is the
    # "Australian Securities and Investments Commission (ASIC)" it named before
    claims = _renamed(claims, acronyms_defined(article.text))
    if indonesian:
        claims = _renamed(claims, _short_names({c.speaker for c in claims}, runs, names, common))
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


def _longest_names(said_by: Iterable[str]) -> dict[str, str]:
    """One name per person in an article: a speaker whose name ends another speaker's name
    is that speaker ("Mulyani Indrawati", cut from a long title, is "Sri Mulyani
    Indrawati" where the article writes that too). `said_by`: the claims' speakers, in
    order; returns {speaker: the longer name}."""
    speakers = _Speakers()
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


def _short_names(
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


_INDONESIAN_PRONOUNS = ("ia", "dia", "beliau", "mereka", "kami", "kita", "saya", "aku", "anda")
_PRONOUNS = {
    *_INDONESIAN_PRONOUNS,
    *(p + "pun" for p in _INDONESIAN_PRONOUNS),  # "Iapun": "ia pun" written as one
    "he", "she", "they", "we",
}  # fmt: skip
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z0-9,;] )[A-Z][\w'’-]*")
_LOWER_TAIL = re.compile(r"^((?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*)((?:\s+[a-z][\w-]*)+)$")


# Invisible format marks and list marks that can stand before a sentence's first word.
_UNSEEN = " \t\u200b\u200c\u200d\u200e\u200f\u2060\ufeff–—-*•·"


def _named(
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
        or words[-1].lower() in _PRONOUNS
        or speaker.lower() in ("i", "you")  # not the "I" of "Armand Mel I"
        # "Dia cukup aktif mengajak", "Mereka hanya mengimbau": a pronoun and small words
        or (words[0].lower() in _PRONOUNS and all(w[:1].islower() for w in words[1:]))
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


def _pair_named(words: list[str], runs: NameRuns, at: int) -> str:
    """For a two-word speaker, the name as the text wrote it before, when there both words
    stand together in a run of capitalised words ("Menteri Keuangan Sri Mulyani Indrawati"
    for "Sri Mulyani"); "" when they never did ("Menteri Susi")."""
    run = runs.pair_before(words, at)
    if run is None:
        return ""
    name = run[run.index(words[1]) - 1 :]
    return " ".join(name) if len(name) <= 4 else ""


class _Speakers(dict[str, str]):
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


def _full_name(name: str, known: _Speakers, runs: NameRuns | None = None, at: int = 0) -> str:
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


# A speaker given by description: "the defender", "The prosecutor", "the trust".
_DESCRIPTION = re.compile(r"(?i:the|this|its|their)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)")


def _described(description: str, cut: int, roles: _Speakers, names: Descriptions) -> str:
    """Who "the <description>" is, said at `cut`: the latest speaker with that role, else
    the name the text gave before `cut` right after that word ("defender Liam Carter") or
    ending with it ("Northern Pennines Hospital Trust"); "" when the article does not say."""
    head = description.split()[-1]
    return roles.latest_with_role(head) or names.after(head, cut) or names.ending(head, cut)
