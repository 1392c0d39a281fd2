"""Names of places across English and Indonesian, and the Indonesian short forms of them.

The pairs come from CLDR (through Babel), the Unicode consortium's locale data: 295
territories and regions ("South Korea" / "Korea Selatan", "Japan" / "Jepang") and the
cities whose Indonesian name differs from the English one ("Prague" / "Praha", "Moscow" /
"Moskwa": CLDR's exemplar cities of time zones).

Indonesian news also clips a name of several words into one ("Korut" for Korea Utara,
"Korsel" for Korea Selatan, "Jabar" for Jawa Barat): the start of each word, in order.
`expand_clipped` reads such a word back into the one CLDR name it clips, so a question
about North Korea finds a passage, and a speaker, that says "Korut".
"""

import functools
import re

from babel import Locale

MIN_PART = 2  # letters each word gives a clipped form ("Kor" + "ut")
MIN_CLIPPED = 4  # shorter capitalised words are initials ("AS", "RI"), not clipped names
_SPACE = re.compile(r"\s+")


def _city(zone: str, names: dict[str, str]) -> str:
    return names.get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")


@functools.cache
def exonyms() -> dict[str, str]:
    """English names of places -> Indonesian ones, where the two differ (CLDR)."""
    english, indonesian = Locale("en"), Locale("id")
    table = {
        name: indonesian.territories[code]
        for code, name in english.territories.items()
        if code in indonesian.territories and indonesian.territories[code] != name
    }
    for zone, names in indonesian.time_zones.items():
        local = names.get("city")
        if not local or zone.startswith("Etc/"):
            continue
        name = _city(zone, dict(english.time_zones.get(zone, {})))
        if name != local and name not in table:
            table[name] = local
    return table


@functools.cache
def _clippable() -> tuple[tuple[str, ...], ...]:
    """Every Indonesian place name of several words, as lower-case words."""
    names = {*exonyms().values(), *Locale("id").territories.values()}
    return tuple(tuple(n.lower().split()) for n in names if len(n.split()) > 1)


def clips(word: str, name: tuple[str, ...]) -> bool:
    """Whether `word` is `name` clipped: a start of each of its words, in order, each of at
    least two letters ("korut" clips ("korea", "utara"))."""
    word = word.lower()
    if len(word) < MIN_CLIPPED or len(name) < 2:
        return False

    def rest(i: int, at: int) -> bool:
        if at == len(name):
            return i == len(word)
        part = name[at]
        longest = min(len(part), len(word) - i - MIN_PART * (len(name) - at - 1))
        return any(
            word[i : i + n] == part[:n] and rest(i + n, at + 1)
            for n in range(longest, MIN_PART - 1, -1)
        )

    return rest(0, 0)


@functools.cache
def expand_clipped(word: str) -> str | None:
    """The one Indonesian place name `word` clips ("Korut" -> "Korea Utara"), else None
    (none, or more than one: a guess would be worse than nothing)."""
    if len(word) < MIN_CLIPPED or not word[:1].isupper():
        return None
    found = {name for name in _clippable() if clips(word, name)}
    if len(found) != 1:
        return None
    return " ".join(w.capitalize() for w in found.pop())


@functools.cache
def _english() -> dict[str, str]:
    return {local.lower(): name for name, local in exonyms().items()}


def name_forms(name: str) -> set[str]:
    """A name in lower case with its other forms: English, Indonesian, the full name of a
    clipped one ("Korut" -> korut, korea utara, north korea)."""
    name = _SPACE.sub(" ", name.strip())
    forms = {name.lower()}
    full = expand_clipped(name)
    if full:
        forms.add(full.lower())
    for form in list(forms):
        if form in _english():
            forms.add(_english()[form].lower())
    table = {k.lower(): v.lower() for k, v in exonyms().items()}
    forms |= {table[f] for f in list(forms) if f in table}
    return forms


def english_name(name: str) -> str | None:
    """The English name of an Indonesian place name or of a clipped one ("Korut" -> North
    Korea), when it differs; else None."""
    full = expand_clipped(name) or name
    english = _english().get(_SPACE.sub(" ", full.strip()).lower())
    return english if english and english.lower() != name.lower() else None


def language_name(code: str) -> str:
    """The English name of a language code ("id" -> "Indonesian"; CLDR); the code itself
    when CLDR has none, "an unknown language" when there is no code."""
    if not code:
        return "an unknown language"
    return str(Locale("en").languages.get(code, code))
