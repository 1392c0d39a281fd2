"""The Indonesian dictionary: whether a capitalised word is a word of the language.

Titles, offices and sentence openers ("Kepala", "Badan", "Perikanan", "Padahal") are
dictionary words; most names ("Arief", "Pudjiastuti", "Stoltenberg") are not. The word
list is Sastrawi's (about 30,000 root words, MIT licence); an affixed word counts when
Sastrawi's stemmer takes it to a root of four letters or more ("Perikanan" -> "ikan"),
so that a short root does not swallow a name ("Susi" -> "sus").
"""

from functools import cache

_ROOT = 4  # shorter roots match too many names by accident


@cache
def _dictionary() -> tuple[frozenset[str], object]:
    """The word list and a stemmer that looks words up in it as a set: Sastrawi's own
    dictionary is a list searched word by word, 30,000 comparisons per look-up (a
    stemming tries dozens), which made claim extraction take most of an ingest."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = frozenset(StemmerFactory().get_words_from_file())

    class WordSet(ArrayDictionary):  # type: ignore[misc]
        def __init__(self) -> None:
            self.words = words

    return words, Stemmer(WordSet())


@cache
def is_common(word: str) -> bool:
    """Whether a word, any case, is an Indonesian dictionary word or an affixed form of one."""
    lower = word.lower()
    if not lower.isalpha():
        return False
    words, stemmer = _dictionary()
    if lower in words:
        return True
    root: str = stemmer.stem(lower)  # type: ignore[attr-defined]
    return root != lower and len(root) >= _ROOT and root in words


def is_role_word(word: str) -> bool:
    """A word that goes before a name, not in it: a dictionary word or an acronym (KPK, NATO)."""
    return is_common(word) or (len(word) >= 2 and word.isupper() and word.isalpha())


# English titles, ranks and offices written before a name, and the letters written after
# one ("Superintendent Karen Holloway", "Dr Karen Hale", "Sarah Okafor KC"): a closed class
# of words, as in any style guide's list of forms of address. Indonesian offices are found
# through the dictionary instead; in English a name's own words are dictionary words too
# ("Rose", "Young", "Hale"), so the dictionary cannot tell them apart there.
_TITLE_WORDS = """mr mrs ms miss mx dr doctor prof professor sir dame lord lady baroness baron rev
    reverend father sister brother pastor rabbi imam sheikh cardinal bishop archbishop pope
    king queen prince princess emperor empress sultan president vice premier chancellor
    minister secretary senator sen representative rep congressman congresswoman assemblyman
    assemblywoman governor gov mayor deputy councillor councilor councilman councilwoman
    alderman ambassador envoy consul chairman chairwoman chairperson
    commissioner director judge magistrate attorney prosecutor solicitor barrister
    spokesman spokeswoman spokesperson coach captain capt maj colonel col gen
    lieutenant lt sergeant sgt corporal cpl pte admiral adm commander cdr commodore
    marshal brigadier superintendent supt inspector insp detective det constable pc
    sheriff trooper mp mep msp"""
_ENGLISH_TITLES = frozenset(_TITLE_WORDS.split())
_AFTER_WORDS = "kc qc mp mep msp jr sr phd md obe mbe cbe esq"
_AFTER_NAME = frozenset(_AFTER_WORDS.split())


# Indonesian ranks and honorifics written right before a name, most of them short forms
# the dictionary lacks ("Kapolda Riau Irjen Pol Zulkarnain", "Mayjen TNI Achmad Marzuki",
# "Drs", "KH"): police and military ranks as the forces abbreviate them, the corps word
# after a rank, and academic and religious titles. A closed class, as the English list.
_RANK_WORDS = """komjen irjen brigjen kombes akbp kompol akp iptu ipda aiptu aipda
    bripka brigpol brigadir briptu bripda bharaka bharatu bharada pol tni purn letjen mayjen
    kolonel letkol mayor kapten lettu letda serma serka sertu serda kopka koptu kopda praka
    pratu prada laksamana laksdya laksda laksma marsekal marsdya marsda marsma hj kh drs dra
    ir dr prof ustaz ustadz habib"""
_INDONESIAN_RANKS = frozenset(_RANK_WORDS.split())


def is_indonesian_rank(word: str) -> bool:
    """A rank or title written right before an Indonesian name: "Irjen", "Pol", "KH"."""
    return word.strip(".,()").lower() in _INDONESIAN_RANKS


# Ranks written only joined to another ("Major-General", "Rear-Admiral"): alone, "Major" and
# "General" also open names ("John Major", "General Motors").
_JOINED_RANKS = frozenset(("major", "general", "rear"))


def is_english_title(word: str) -> bool:
    """A word that goes before an English name, not in it: "Dr", "Superintendent", a
    hyphenated rank ("Major-General", "Vice-President")."""
    lower = word.rstrip(".").lower()
    parts = lower.split("-")
    if len(parts) > 1:
        return all(p in _ENGLISH_TITLES or p in _JOINED_RANKS for p in parts)
    return lower in _ENGLISH_TITLES


def is_after_name(word: str) -> bool:
    """Letters after an English name, not part of it: "KC", "Jr."."""
    return word.rstrip(".,").lower() in _AFTER_NAME


# Words that make a speaker a body, not a person (English and Indonesian).
BODY_WORDS = frozenset((
    "kementerian", "badan", "komisi", "dewan", "partai", "pemerintah", "pemerintahan", "polisi",
    "kepolisian", "polri", "polda", "polres", "tni", "kodam", "bank", "universitas", "lembaga",
    "asosiasi", "serikat", "persatuan", "federasi", "klub", "tim", "kantor", "pihak", "majelis",
    "mahkamah", "pengadilan", "kejaksaan", "dinas", "pemkot", "pemkab", "pemprov", "dpr",
    "dprd", "mpr", "kedutaan", "militer", "angkatan", "perusahaan", "organisasi", "yayasan",
    "kelompok", "sekutu", "ministry", "department", "government", "police", "council",
    "committee", "commission", "agency", "office", "party", "union", "association", "company",
    "corp", "corporation", "inc", "ltd", "plc", "group", "university", "institute", "court",
    "army", "navy", "federation", "club", "team", "authority", "board", "embassy", "parliament",
    "senate", "congress", "organisation", "organization", "foundation", "fund", "prosecution",
    "newspaper", "coalition", "alliance", "otoritas", "perhimpunan", "ikatan", "himpunan",
    "gabungan", "koperasi", "konsorsium", "laporan", "berita", "media", "forces", "trust",
    "festival", "guild", "holdings", "executive", "guard", "consortium", "service", "services",
    "network", "pictures", "studios", "films", "records", "news", "post", "times", "daily",
    "herald", "tribune", "gazette", "journal", "press", "rovers", "united", "academy",
    "society", "chamber", "league", "reserve", "exchange",
))  # fmt: skip


@cache
def country_names() -> dict[str, str]:
    """A country's or territory's name in English or Indonesian -> its Indonesian name,
    lowercased (CLDR, through Babel): "north korea" and "korea utara" are one speaker."""
    from babel import Locale

    indonesian = Locale("id").territories
    return {
        name.lower(): indonesian[code].lower()
        for locale in ("en", "id")
        for code, name in Locale(locale).territories.items()
        if code in indonesian and not code.isdigit()  # not "Asia", "World": regions
    }
