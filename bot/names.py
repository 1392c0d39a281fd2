"""Names in a question: English exonyms of places, and names the articles never mention."""

import re
from difflib import get_close_matches

# English names of places as Indonesian news writes them.
EXONYMS = {
    "North Korea": "Korea Utara", "South Korea": "Korea Selatan", "Korea": "Korea",
    "Japan": "Jepang", "China": "Tiongkok China", "Germany": "Jerman", "Norway": "Norwegia",
    "Russia": "Rusia", "Ukraine": "Ukraina", "Poland": "Polandia", "France": "Prancis",
    "Britain": "Inggris", "United Kingdom": "Inggris", "England": "Inggris",
    "United States": "Amerika Serikat", "America": "Amerika", "Netherlands": "Belanda",
    "New Zealand": "Selandia Baru", "Czech Republic": "Republik Ceko", "Czech": "Ceko",
    "Prague": "Praha", "Philippines": "Filipina", "Singapore": "Singapura",
    "Turkey": "Turki", "Egypt": "Mesir", "Saudi Arabia": "Arab Saudi", "Europe": "Eropa",
    "Africa": "Afrika", "Middle East": "Timur Tengah", "Italy": "Italia", "Spain": "Spanyol",
    "Sweden": "Swedia", "Finland": "Finlandia", "Belgium": "Belgia", "Switzerland": "Swiss",
    "Greece": "Yunani", "Palestine": "Palestina", "Iraq": "Irak", "Syria": "Suriah",
    "Brazil": "Brasil", "Mexico": "Meksiko", "Canada": "Kanada", "Indo-Pacific": "Indo-Pasifik",
    "Kyiv": "Kyiv Kiev", "Moscow": "Moskow", "Beijing": "Beijing",
    "North Atlantic": "Atlantik Utara",
}  # fmt: skip
_EXONYM = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, EXONYMS), key=len, reverse=True)) + r")\b"
)
_NAME_WORD = re.compile(r"\b[A-Z][\w'-]*")
_WORD = re.compile(r"\w+")
# Capitalised words that start questions, or are titles, rather than name something.
_NOT_NAMES = {
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how", "does", "did",
    "do", "is", "are", "was", "were", "can", "could", "will", "would", "should", "has",
    "have", "had", "and", "but", "or", "the", "a", "an", "in", "on", "of", "tell", "list",
    "show", "give", "according", "apa", "siapa", "kapan", "mengapa", "kenapa", "bagaimana",
    "berapa", "dimana", "di", "apakah", "yang", "dan", "i", "please", "summarize", "explain",
    "president", "presiden", "minister", "menteri", "prime", "secretary", "general", "mr",
    "mrs", "ms", "dr", "sir", "chief", "head", "official", "officials", "any", "all", "some",
}  # fmt: skip
CLOSE = 0.8


def localize_names(question: str) -> str:
    """The question with English place names followed by their Indonesian forms."""
    return _EXONYM.sub(lambda m: f"{m.group(1)} ({EXONYMS[m.group(1)]})", question)


def missing_names(question: str, vocab: set[str]) -> list[str]:
    """Capitalised words of the question that no article has, in any close spelling."""
    checked = _EXONYM.sub(lambda m: EXONYMS[m.group(1)], question)
    missing: list[str] = []
    for word in _NAME_WORD.findall(checked):
        parts = [p.lower() for p in _WORD.findall(word)]
        if word.lower() in _NOT_NAMES or not parts:
            continue
        if not all(p in vocab or get_close_matches(p, vocab, n=1, cutoff=CLOSE) for p in parts):
            missing.append(word)
    return list(dict.fromkeys(missing))


def topic_names(question: str) -> list[str]:
    """Names the question is about, in the articles' spelling ("South Korea" -> "Korea Selatan")."""
    names = [EXONYMS[m] for m in _EXONYM.findall(question)]
    rest = _EXONYM.sub(" ", question)
    names += [w for w in _NAME_WORD.findall(rest) if w.lower() not in _NOT_NAMES]
    return [n for n in names if n.lower() not in _QUESTION_NOUNS]


_QUESTION_NOUNS = {"claims", "claim", "klaim", "outlet", "outlets", "media", "nato"}
