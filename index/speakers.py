"""Who a speaker is across articles: one comparable key, one canonical name, other names.

"Korut", "Korea Utara" and "North Korea" are one speaker (the ledger's own aliases and
CLDR's country names, through index/lexicon.py and index/names.py); "Stoltenberg" is the
"Jens Stoltenberg" another article names; an acronym is the body another article spells
out. A tracked claim keeps the fullest name the articles give as its speaker and lists
the others, English first, so a reader who does not read Indonesian knows who "Korut" is.
"""

import functools
from collections.abc import Iterable, Mapping

from index.full_names import initials
from index.lexicon import country_names
from index.names import english_name, expand_clipped
from index.tracked import TrackedClaim

_ALIASES = {"korut": "korea utara", "korsel": "korea selatan", "as": "amerika serikat"}


@functools.cache
def _other_names() -> dict[str, list[str]]:
    """A speaker key -> the other names it has (aliases, CLDR)."""
    other: dict[str, list[str]] = {}
    for name, key in (_ALIASES | country_names()).items():
        other.setdefault(key, []).append(name)
    return other


def names_of(key: str) -> set[str]:
    """A canonical speaker key and the other names of that speaker, lowercased."""
    return {key, *_other_names().get(key, [])}


def speaker_key(name: str) -> str:
    """Comparable form of a speaker's name ("Korut", "Korea Utara" and "North Korea" are
    one)."""
    key = name.lower().strip()
    key = _ALIASES.get(key, key)
    return country_names().get(key, key)


def unify_keys(keys: set[str]) -> dict[str, str]:
    """speaker key -> canonical key, over these keys: "stoltenberg" joins "jens stoltenberg"."""
    by_tail: dict[str, list[str]] = {}  # "stoltenberg" -> keys that end with " stoltenberg"
    for key in keys:
        words = key.split(" ")
        for n in range(1, len(words)):
            by_tail.setdefault(" ".join(words[n:]), []).append(key)
    canonical = {}
    for key in keys:
        longer = [k for k in by_tail.get(key, ()) if k != key and k.endswith(" " + key)]
        # sorted first: equally long names resolve the same way in every process
        canonical[key] = max(sorted(longer), key=len) if longer else key
    # an acronym is the one body whose initials it is, where another article spells it
    # out ("asic" -> "australian securities and investments commission", "bps")
    spelled: dict[str, list[str]] = {}
    for key in keys:
        if " " in key:
            spelled.setdefault(initials(key).lower(), []).append(key)
    for key in keys:
        full = sorted({canonical[k] for k in spelled.get(key, ())})
        if " " not in key and 2 <= len(key) <= 6 and len(full) == 1:
            canonical[key] = full[0]
    return canonical


def _place_name(name: str) -> str | None:
    """The Indonesian name of a country written another way ("Korut", "North Korea" ->
    "Korea Utara"), title-cased as CLDR writes it."""
    key = speaker_key(name)
    if key == name.lower().strip() or key not in _other_names():
        return None
    return " ".join(w.capitalize() for w in key.split())


def other_names(shown: str, written: Iterable[str]) -> list[str]:
    """The names of a speaker other than `shown`: its English names first, then the other
    ways the articles write it and the Indonesian full names of clipped ones."""
    names = [shown, *sorted(set(written))]
    english = [english_name(n) or "" for n in names]
    found = [*english, *names, *(expand_clipped(n) or "" for n in names)]
    found += [_place_name(n) or "" for n in names]
    seen = {shown.lower().strip()}
    ordered = []
    for name in found:
        if name and name.lower() not in seen:
            seen.add(name.lower())
            ordered.append(name)
    return ordered


def name_speakers(tracked: Iterable[TrackedClaim], canonical: Mapping[str, str]) -> None:
    """Give each tracked claim its speaker's other names: every name its speaker's claims
    are written under anywhere in the ledger (`canonical`: speaker key -> canonical key)."""
    tracked = list(tracked)

    def key(name: str) -> str:
        k = speaker_key(name)
        return canonical.get(k, k)

    written: dict[str, set[str]] = {}
    for t in tracked:
        names = written.setdefault(key(t.speaker), set())
        names |= {a.speaker for a in t.appearances if a.speaker}
    found: dict[str, list[str]] = {}  # one speaker's many claims: their names found once
    for t in tracked:
        if t.speaker not in found:
            found[t.speaker] = other_names(t.speaker, written[key(t.speaker)])
        t.aliases = list(found[t.speaker])
