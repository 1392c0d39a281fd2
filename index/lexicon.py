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
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    factory = StemmerFactory()
    return frozenset(factory.get_words_from_file()), factory.create_stemmer()


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
