"""Names in a question: English place names carried into the articles' Indonesian forms.

The pairs come from CLDR (through Babel, index/names.py): territories and the cities whose
names differ ("South Korea" / "Korea Selatan", "Prague" / "Praha"). Nothing here refuses
an answer: a name the articles spell another way is the decision step's business, weighed
with everything else it sees.
"""

import functools
import re

from index.names import exonyms

_NAME_WORD = re.compile(r"\b[A-Z][\w'-]*")
# Capitalised words that start questions, or are titles, rather than name something.
_NOT_NAMES = {
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how", "does", "did",
    "do", "is", "are", "was", "were", "can", "could", "will", "would", "should", "has",
    "have", "had", "and", "but", "or", "the", "a", "an", "in", "on", "of", "tell", "list",
    "show", "give", "according", "apa", "siapa", "kapan", "mengapa", "kenapa", "bagaimana",
    "berapa", "dimana", "di", "apakah", "yang", "dan", "i", "please", "summarize", "explain",
    "president", "presiden", "minister", "menteri", "prime", "secretary", "general", "mr",
    "mrs", "ms", "dr", "sir", "chief", "head", "official", "officials", "any", "all", "some",
    "claims", "claim", "klaim", "outlet", "outlets", "media", "nato",
}  # fmt: skip


@functools.cache
def _exonym_pattern() -> re.Pattern[str]:
    names = sorted(map(re.escape, exonyms()), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(names) + r")\b")


def localize_names(question: str) -> str:
    """The question with English place names followed by their Indonesian forms."""
    table = exonyms()
    return _exonym_pattern().sub(lambda m: f"{m.group(1)} ({table[m.group(1)]})", question)


def split_place_names(question: str) -> tuple[list[str], str]:
    """The English place names in the question, and the question without them."""
    pattern = _exonym_pattern()
    return pattern.findall(question), pattern.sub(" ", question)


def topic_names(question: str) -> list[str]:
    """Names the question is about, in the articles' spelling ("South Korea" -> "Korea Selatan")."""
    places, rest = split_place_names(question)
    names = [exonyms()[m] for m in places]
    names += [w for w in _NAME_WORD.findall(rest) if w.lower() not in _NOT_NAMES]
    return names
