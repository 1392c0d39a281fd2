"""Roles: a speaker's phrase split into the name and the title, office or description
around it.

"Sekretaris Jenderal NATO Jens Stoltenberg" is Jens Stoltenberg, Sekretaris Jenderal NATO;
"Kapolda Riau Irjen Pol Zulkarnain" is Zulkarnain, after his rank; "Superintendent Karen
Holloway" and "Sarah Okafor KC" are Karen Holloway and Sarah Okafor. A body's name stays
whole, with its small words and its lists ("Kementerian Hukum dan HAM", "the Ministry of
Culture, Sports and Tourism").
"""

import re

from index.lexicon import (
    BODY_WORDS,
    country_names,
    is_after_name,
    is_common,
    is_english_title,
    is_indonesian_rank,
    is_role_word,
)

# Words a subject carries beside a name that are no part of it: "Jokowi juga", "Stoltenberg
# telah", a day of the week.
FILLER = re.compile(
    r"\b(?:namun|tetapi|tapi|juga|telah|sudah|pun|kemudian|tetap|lalu|lagi|sendiri|also|then|"
    r"however|but|has|had|have|senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
# A name: up to four capitalised words, an initial's full stop included.
NAME_RUN = re.compile(r"(?:[A-Z][\w'’-]*\.?(?:\s+|$)){1,4}")
PAREN = re.compile(r"\s*\([^)]*\)")  # an aside in brackets: "(BPS)", "(ANTARA)"
# An English name: capitalised words, with the small words of an organisation's name
# between them ("Armed Forces of the Philippines", "Ministry of Industry and Trade").
ENGLISH_NAME = r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|and|for|the|de|on)\s+)*[A-Z][\w'’&.-]*)*"
_AT_NAME = re.compile(r"[a-z]\s+(?:at|in|for|from|of|with)\s+(?:the\s+)?$")
ENGLISH_JOINS = {"of", "and", "for", "the", "de", "on"}
ENGLISH_TAIL = re.compile(rf"(?<![\w'’&.-]){ENGLISH_NAME}$")
# A body's name with a list in it: "Ministry of Culture, Sports and Tourism",
# "Meteorology, Climatology and Geophysics Agency"; the list's last item after "and".
_WORD_CAP = r"[A-Z][\w'’&.-]*"
_LISTED_NAME = rf"{ENGLISH_NAME}(?:,\s+{_WORD_CAP})+,?\s+and\s+{_WORD_CAP}(?:\s+{_WORD_CAP})*"
_LISTED_TAIL = re.compile(rf"(?<![\w'’&.-]){_LISTED_NAME}$")
_LIST_END = re.compile(rf"{_WORD_CAP}(?:,\s+{_WORD_CAP})*,?\s+and\s+{_WORD_CAP}(?:\s+{_WORD_CAP})*")
# Capitalised words that are never a name, nor its first word: sentence openers, pronouns.
STOP_CAPS = {
    "Namun", "Tetapi", "Dalam", "Pada", "Menurut", "Berbicara", "Menyinggung", "Mengenai",
    "Sejak", "Sehari", "Dia", "Ia", "The", "In", "On", "But", "However", "Saat", "Ketika",
}  # fmt: skip


def split_role(phrase: str, english: bool = False) -> tuple[str, str]:
    """ "Sekretaris Jenderal NATO Jens Stoltenberg" -> ("Jens Stoltenberg", "Sekretaris ...");
    in English the name that ends the phrase, without what goes before a name ("South
    Korean director Han Ji-won", "Vietnam's Ministry of Industry and Trade")."""
    at_comma = _split_at_comma(phrase)
    if at_comma is not None:
        return at_comma
    if english:
        return english_split(PAREN.sub("", phrase).strip())
    words = PAREN.sub("", phrase).split()
    tail = _capitalised_tail(words)
    ranks = [k for k, w in enumerate(tail[:-1]) if _rank(tail, k)]
    if ranks:  # a rank stands right before the name: "Kapolda Riau Irjen Pol Zulkarnain"
        cut = phrase.rfind(" " + " ".join(tail[ranks[-1] + 1 :]))
        return " ".join(tail[ranks[-1] + 1 :]), PAREN.sub("", phrase[:cut]).strip()
    tail = _name_in_tail(tail)
    placed = _described_by_place(phrase, words[: len(words) - len(tail)], tail)
    if placed is not None:
        return placed
    if not tail or (len(tail) < 2 and len(words) <= 3):
        return phrase.strip(), ""  # "sekutu Barat", "Stoltenberg": the phrase is the speaker
    cut = phrase.rfind(tail[0])
    return " ".join(tail), PAREN.sub("", phrase[:cut]).strip() if cut > 0 else ""


def _split_at_comma(phrase: str) -> tuple[str, str] | None:
    """(name, role) when a comma parts the phrase into a name and its role, on either
    side; None when it has no such comma."""
    if ", " not in phrase:
        return None
    role, _, name = phrase.rpartition(", ")
    if NAME_RUN.fullmatch(name + " "):  # "direktur jenderal ..., Kwon Jong-gun"
        return name.strip(), role.strip()
    name, _, role = phrase.partition(", ")
    if NAME_RUN.fullmatch(name + " "):  # "Maria Lopez, the union leader"
        # (not the rest of the sentence: "kata Rivai, tak perlu menghubungi ...")
        return name.strip(), role.strip() if len(role.split()) <= 8 else ""
    return None


def _capitalised_tail(words: list[str]) -> list[str]:
    """The trailing run of capitalised words, with the "of", "and" of an English name
    ("Academy of ... Arts and Sciences") and the "dan" of a body's name."""
    tail: list[str] = []
    for n in range(len(words) - 1, -1, -1):
        word = words[n]
        joins = word in ENGLISH_JOINS and n > 0 and words[n - 1][:1].isupper()
        if word == "dan" and _body_named_on(tail) and _body_before(words, n):
            joins = True  # "Kementerian Hukum dan HAM Provinsi Riau"
        if not (word[:1].isupper() or (joins and tail)):
            break
        tail.insert(0, word)
    return tail


def _name_in_tail(tail: list[str]) -> list[str]:
    """The name's words at the end of a run of capitalised words, without the title
    words before it."""
    if len(tail) > 3 and not (ENGLISH_JOINS | {"dan"}) & set(tail):
        # title words are capitalised too: "Sekretaris Jenderal ... Jens Stoltenberg"; an
        # initial before the name is the name's ("AKBP M Rivai Arvan")
        keep = 2
        while keep < len(tail) and (_initial(tail[-keep]) or _initial(tail[-keep - 1])):
            keep += 1  # "Jill M. Rabin", "M Rivai Arvan"
        tail = tail[-keep:]
    while len(tail) > 1 and tail[0].endswith(".") and not _initial(tail[0]):
        tail = tail[1:]  # an abbreviated title: "Dr. Itzhak Gerberg"
    return tail


def _described_by_place(
    phrase: str, described: list[str], tail: list[str]
) -> tuple[str, str] | None:
    """(name, role) when the capitalised words that end the phrase are a place that
    describes the speaker, not their name; None when they are not."""
    if tail and any(w[:1].islower() for w in described) and is_country(" ".join(tail)):
        return phrase.strip(), ""  # "komando armada kapal ketujuh Amerika Serikat"
    if len(tail) == 1 and described and described[-1] in ("di", "dari", "asal"):
        # a place after "di"/"dari" is where the speaker is: "para aktivis di Raqqa",
        # "Sejumlah laporan di Inggris" are described by it; "Kepala Balai ... R Agus
        # Budi Santosa di Mataram" is the name before it
        head = described[:-1]
        if head and head[-1][:1].isupper():
            return split_role(" ".join(head))
        if len(head) <= 4:
            return phrase.strip(), ""
    return None


def _body_before(words: list[str], n: int) -> bool:
    """Whether the capitalised words right before `words[n]` ("dan") hold a body's word,
    so that "dan" joins one body's name ("Kementerian Hukum dan HAM", "Badan Pengawas Obat
    dan Makanan"), not two people ("Jokowi dan Prabowo")."""
    k = n - 1
    while k >= 0 and words[k][:1].isupper():
        if words[k].lower() in BODY_WORDS:
            return True
        k -= 1
    return False


def _rank(words: list[str], k: int) -> bool:
    """Whether `words[k]` is a rank before a name: "Irjen", "Pol"; "Jenderal" too, but
    not as the second word of an office ("Sekretaris Jenderal PBB", "Direktur Jenderal")."""
    if words[k].lower() == "jenderal":
        return k == 0 or not is_common(words[k - 1]) or is_indonesian_rank(words[k - 1])
    return is_indonesian_rank(words[k])


def _body_named_on(after: list[str]) -> bool:
    """Whether the capitalised words after a body's "dan" go on with its name ("HAM
    Provinsi Riau", "Penanggulangan Bencana"): a few words, not ending in a person's name
    of two words the dictionary lacks ("... dan Pengembangan Industri Kemenperin Haris
    Munandar" is an office and its holder)."""
    trailing = 0
    while trailing < len(after) and not is_role_word(after[-1 - trailing]):
        trailing += 1
    return 0 < len(after) <= 3 and trailing <= 1


def in_listed_name(head: str, aside: str) -> bool:
    """Whether the comma between `head` and `aside` is one inside a body's name that lists
    things: the head ends in a capitalised word, the aside is capitalised words ending in
    "and ..." ("Culture" | "Sports and Tourism", "the Meteorology" | "Climatology and
    Geophysics Agency (BMKG)"), and the whole names a body (not "Smith, Jones and Lee")."""
    last = head.split()[-1:]
    item = PAREN.sub("", aside).strip()
    if not last or not last[0][:1].isupper() or not _LIST_END.fullmatch(item):
        return False
    return is_body(head.split(",")[-1] + " " + item)


def is_body(speaker: str) -> bool:
    """Whether a speaker's name says it is a body: "Marches Water Ltd", "Polda Riau"."""
    return any(w.lower() in BODY_WORDS for w in speaker.split())


def is_country(name: str) -> bool:
    """A country's name ("Amerika Serikat", "Selandia Baru"): after a description, what it
    describes, not a speaker of its own."""
    return name.lower() in country_names()


def _initial(word: str) -> bool:
    """A name's initial: "M", "M."."""
    return len(word.rstrip(".")) == 1 and word[:1].isupper()


def english_split(phrase: str) -> tuple[str, str]:
    """(name, role) for an English phrase that ends in a name, else (phrase, "")."""
    found = ENGLISH_TAIL.search(phrase)
    listed = _LISTED_TAIL.search(phrase)
    if listed and is_body(listed.group()):  # "the Ministry of Culture, Sports and Tourism"
        found = listed
    if not found or _AT_NAME.search(phrase[: found.start()]):
        # "the minister": the phrase is the speaker; so is "analysts at Nordea", "a
        # spokesperson for Harwick Port Holdings": people described by where they are
        return phrase, ""
    words = found.group(0).split()
    start = 0  # "The", a possessive ("Vietnam's") and titles go before a name, and the
    # words before a title with a name after it ("Health Minister Aoife Brennan")
    for k in range(len(words) - 1):
        if is_english_title(words[k]) and words[k + 1][:1].isupper():
            start = k + 1
    while len(words) - start > 1 and (
        words[start] in ("The", "the")
        or words[start].endswith(("'s", "’s"))
        or is_english_title(words[start])
    ):
        start += 1
    name = " ".join(words[start:])
    role = (phrase[: found.start()] + " ".join(words[:start])).strip()
    return name, role


def name_start(words: list[str]) -> int:
    """Where a name starts after the title and office words before it: at the first word
    that is not a dictionary word, after only role words, with two words or more left
    ("Perikanan Susi Pudjiastuti" -> 1, "KPK Febri Diansyah" -> 1); 0 when there is no such
    place, so a name whose first words are dictionary words stays whole ("Budi Karya
    Sumadi")."""
    for k in range(1, len(words) - 1):
        if not is_role_word(words[k - 1]):
            return 0
        if not is_role_word(words[k]):
            return k
    return 0


def untitled(speaker: str) -> tuple[str, str]:
    """An English speaker without the title before the name and the letters after it:
    "Superintendent Karen Holloway" -> ("Karen Holloway", "Superintendent"), "Sarah Okafor
    KC" -> ("Sarah Okafor", "KC"); a lone title stays ("The Judge" is no name)."""
    words = speaker.split()
    start, end = 0, len(words)
    while end - start > 1 and is_after_name(words[end - 1]):
        end -= 1
    while end - start > 1 and is_english_title(words[start]):
        start += 1
    if (start, end) == (0, len(words)):
        return speaker, ""
    return " ".join(words[start:end]), " ".join(words[:start] + words[end:])


def after_opener(speaker: str, names: set[str]) -> str:
    """An Indonesian speaker without the words that open its sentence before the name, when
    they hold a small word, so are no title: "Meski begitu Fifi" -> "Fifi" (a name the
    article capitalises inside sentences too); "sekutu Barat" stays ("barat" is a word)."""
    words = speaker.split()
    k = 0
    while k < len(words) - 1 and is_common(words[k]):
        k += 1
    rest = words[k:]
    opener = words[:k]
    if (
        opener
        and opener[0][:1].isupper()  # it opens the sentence
        and any(w[:1].islower() for w in opener)
        and not any(w.lower() in BODY_WORDS for w in opener)  # "Kementerian Hukum dan HAM"
        and all(w[:1].isupper() for w in rest)
        and not is_role_word(rest[0])
        and rest[0] in names
    ):
        return " ".join(rest)
    return speaker
