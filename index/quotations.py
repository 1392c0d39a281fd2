"""Quotations: the quoted parts of a sentence, and which sentences a quotation runs over.

News quotes across sentences and paragraphs ('"... usus besar. Jika Anda ...," kata Dr.
Rabin'), leaves a quotation that goes on in the next paragraph open, and puts the tag
after the closing mark: a reporting verb inside quotation marks is the speaker's, not the
reporter's.
"""

import re

QUOTE_MARK = re.compile(r"[\"“”]")
QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")  # a quotation, its words in group 1
# A text that ends where a quotation closes: the tag after it names who spoke ('," kata').
QUOTE_CLOSED = re.compile(r"[\"”]\s*,?\s*$")


def quoted_parts(sentence: str) -> list[tuple[int, int]]:
    """The quoted parts of a sentence; one that opens with a quotation mark and holds no
    other is quoted to its end ('" Kalau sampai masyarakat menilai ...': the speaker's
    own words, not an attribution; a straight mark elsewhere may close a quotation)."""
    quoted = [m.span() for m in QUOTED.finditer(sentence)]
    opens = sentence.lstrip()[:1] in ('"', "“")
    if not quoted and opens and len(QUOTE_MARK.findall(sentence)) == 1:
        quoted.append((0, len(sentence)))
    return quoted


def left_open(text: str) -> bool:
    """Whether a text ends inside a quotation it opened (news leaves a quotation that goes on
    in the next paragraph open)."""
    straight = text.count('"')
    return straight % 2 == 1 or text.count("“") > text.count("”")


QUOTE_SENTENCES = 6  # the most sentences one quotation is taken to run over


def inside_quotes(text: str, sentences: list[tuple[int, int]]) -> list[bool]:
    """For each sentence, whether it starts inside a quotation opened before it (and one
    more entry: after the last)."""
    inside, state = False, [False]
    for s, e in sentences:
        for ch in text[s:e]:
            if ch == "“":
                inside = True
            elif ch == "”":
                inside = False
            elif ch == '"':
                inside = not inside
        state.append(inside)
    return state


def tagged_later(inside: list[bool], verbs_of: list[re.Match[str] | None], i: int) -> bool:
    """Whether sentence `i` is part of a quotation that runs on to a later sentence with a
    tag of its own ('" ... usus besar. Jika Anda ..., " kata Dr. Rabin'): then it is that
    speaker's, not the statement's before it. `verbs_of`: each sentence's reporting verb."""
    if not inside[i + 1]:
        return False  # no quotation runs on past this sentence
    for m in range(i + 1, min(len(verbs_of), i + QUOTE_SENTENCES)):
        if not inside[m + 1]:  # it closes in sentence m
            return verbs_of[m] is not None
    return False
