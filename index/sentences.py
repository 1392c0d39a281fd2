"""Sentences: where one ends inside a text (abbreviations such as "Dr." and initials do not
end one), as spans that keep offsets."""

import re

_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {
    "dr", "drs", "ir", "prof", "h", "hj", "st", "no", "jl", "mr", "mrs", "ms", "jr", "sr",
    "u.s", "a.s", "kol", "letjen", "mayjen", "brigjen", "jend", "kh", "sdr", "bpk", "vs",
}  # fmt: skip


def is_abbreviation(word: str) -> bool:
    """A word whose full stop ends no sentence: "Dr.", "Prof.", an initial ("M.")."""
    word = word.rstrip(".").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end]."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        if is_abbreviation(text[cursor : match.start() + 1].split()[-1]):
            continue
        stop = match.end() - len(match.group(0)) + len(match.group(0).rstrip())
        spans.append((cursor, stop))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans
