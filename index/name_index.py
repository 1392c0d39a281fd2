"""The name index: where an article's text names people and bodies, found once per article.

`NameRuns` holds the runs of capitalised words ("Mayor Eleanor Whitcombe", "Menteri
Keuangan Sri Mulyani Indrawati"); `Descriptions` the names a description's word stands
before or ends ("defender Liam Carter", "Northern Pennines Hospital Trust"). Each is looked
up before a place in the text: searching all the text before every claim again took time
quadratic in a long article.
"""

import bisect
import itertools
import re
from collections.abc import Callable, Iterator

from index.lexicon import is_after_name
from index.roles import ENGLISH_NAME, NAME_RUN, english_split, split_role
from index.sentences import is_abbreviation

# Capitalised words in a row within one sentence (no full stop inside).
# (spaces only: a run does not cross a line, "tutur Nico\n\nLanjut Nico, ...")
_NAME_IN_TEXT = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){1,7}")


def _pairs(run: list[str], words: list[str]) -> bool:
    """The run holds the two words as the name it writes, and is not just those two:
    the first of them stands right before the run's first use of the second."""
    if run == words or words[1] not in run:
        return False
    i = run.index(words[1])
    return i > 0 and run[i - 1] == words[0]


def _longer_in(run: list[str], words: list[str]) -> list[str]:
    """The names in a run that are `words` and one more capitalised word, in order."""
    found = []
    for k in range(len(run) - len(words)):
        following = run[k + len(words)]
        if (
            run[k : k + len(words)] == words
            and following[:1].isupper()
            and not is_after_name(following)  # "Sarah Okafor KC": letters, not the name
        ):
            found.append(" ".join(run[k : k + len(words) + 1]))
    return found


class _Longer:
    """The first two distinct longer names of one name in the runs that can hold it, each
    with the run where it first appears, found by walking the runs once for all the
    article's claims (a walk back at every claim took time quadratic in the article)."""

    def __init__(self, runs: list[int]) -> None:
        self.runs = runs  # the runs that can hold the name, in text order
        self.walked = 0  # how many of them were looked at
        self.first: list[tuple[int, str]] = []  # (run, name), at most two

    def before(self, done: int, names_in: Callable[[int], list[str]]) -> list[str]:
        """The distinct longer names (up to two) in the runs before index `done`."""
        while len(self.first) < 2 and self.walked < len(self.runs):
            n = self.runs[self.walked]
            if n >= done:
                break
            for name in names_in(n):
                if all(name != seen for _, seen in self.first) and len(self.first) < 2:
                    self.first.append((n, name))
            self.walked += 1
        return [name for n, name in self.first if n < done]


class NameRuns:
    """The runs of capitalised words in an article's text from its body on, found once,
    each with its words, and which runs hold a given word: `full_name` looks a name up in
    them at every claim instead of searching all the text before it again (which made a
    long article's claims take quadratic time)."""

    def __init__(
        self, text: str, floor: int, english: bool = False, small: set[str] | None = None
    ) -> None:
        self.text, self.floor, self.english = text, floor, english
        self.small = small or set()  # the words the article also writes small
        found = list(_NAME_IN_TEXT.finditer(text, floor))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.words = [m.group().split() for m in found]
        self.holding: dict[str, list[int]] = {}  # word -> the runs with it, in text order
        # (word before, word) at a word's first place in a run of three words or more,
        # and each two words in a row -> the runs with them: a speaker named again and
        # again is looked up at once, not by walking back over all its earlier runs
        self.pairs: dict[tuple[str, str], list[int]] = {}
        self.bigrams: dict[tuple[str, str], list[int]] = {}
        for n, words in enumerate(self.words):
            for i, word in enumerate(words):
                if words.index(word) == i:
                    self.holding.setdefault(word, []).append(n)
                    if i and len(words) > 2:
                        self.pairs.setdefault((words[i - 1], word), []).append(n)
            for pair in dict.fromkeys(itertools.pairwise(words)):
                self.bigrams.setdefault(pair, []).append(n)
        self._longer: dict[tuple[str, ...], _Longer] = {}

    def before(self, name: str, at: int) -> Iterator[tuple[int, list[str]]]:
        """Latest first, (start, words) of the runs in text[floor:at] that hold `name`,
        as a search of that slice finds them: a run reaching past `at` is cut there."""
        done = bisect.bisect_right(self.ends, at)  # the runs that end by `at`
        yield from self._cut(name, at, done)
        held = self.holding.get(name, [])
        for n in reversed(held[: bisect.bisect_left(held, done)]):
            yield self.starts[n], self.words[n]

    def _cut(self, name: str, at: int, done: int) -> Iterator[tuple[int, list[str]]]:
        """Latest first, the pieces before `at` that hold `name` of the run reaching past
        `at` (the runs before index `done` end by it)."""
        if done < len(self.starts) and self.starts[done] < at:
            cut = list(_NAME_IN_TEXT.finditer(self.text, self.starts[done], at))
            for match in reversed(cut):
                words = match.group().split()
                if name in words:
                    yield match.start(), words

    def pair_before(self, words: list[str], at: int) -> list[str] | None:
        """The latest run in text[floor:at] that `_pairs` with the two words, or None."""
        done = bisect.bisect_right(self.ends, at)
        for _, run in self._cut(words[1], at, done):
            if _pairs(run, words):
                return run
        held = self.pairs.get((words[0], words[1]), [])
        k = bisect.bisect_left(held, done)
        return self.words[held[k - 1]] if k else None

    def longer_before(self, words: list[str], at: int) -> list[str]:
        """Up to two of the distinct names in text[floor:at] that are `words` and one more
        capitalised word (`_longer_in`): as many as `full_names._longer_name` needs to tell."""
        done = bisect.bisect_right(self.ends, at)
        found = dict.fromkeys(
            name for _, run in self._cut(words[0], at, done) for name in _longer_in(run, words)
        )
        key = tuple(words)
        if key not in self._longer:
            self._longer[key] = _Longer(self.bigrams.get((words[0], words[1]), []))
        for name in self._longer[key].before(done, lambda n: _longer_in(self.words[n], words)):
            found.setdefault(name)
        return list(found)[:2]

    # (both look back from `at` only as far as they need: a copy of all the text before
    # it, at every claim, took time quadratic in a long article)

    def after_dash(self, at: int) -> bool:
        """Whether the text up to `at` ends in a dash and a space: a dateline's end."""
        text, end = self.text, at
        while end > self.floor and text[end - 1].isspace():
            end -= 1
        return end < at and text[at - 1] == " " and text[end - 1 : end] in ("-", "–", "—")

    def opens_sentence(self, at: int) -> bool:
        """The text from the body's start up to `at` ends where a sentence opens: nothing
        yet, a line's end (a paragraph opens), a full stop and space (closing quotes
        between), or an opening quote."""
        text, floor = self.text, self.floor
        end = at
        while end > floor and text[end - 1] in " \t":
            end -= 1
        if at == floor or (end > floor and text[end - 1] == "\n"):
            return True
        end = at
        while end > floor and text[end - 1].isspace():
            end -= 1
        if end > floor and text[end - 1] in '"“':
            return True
        if end == at:
            return False
        while end > floor and text[end - 1] in "\"'”’)":
            end -= 1
        if end > floor and text[end - 1] == "." and is_abbreviation(self._word_before(end)):
            return False  # "Dr. Itzhak Gerberg": no sentence opens after "Dr."
        return end > floor and text[end - 1] in ".!?"

    def _word_before(self, end: int) -> str:
        """The word of the text that ends at `end` (spaces around words)."""
        start = end
        while start > self.floor and not self.text[start - 1].isspace():
            start -= 1
        return self.text[start:end]


# The names `Descriptions` looks at in English: with the small words of a body's name.
_ENGLISH_RUN = re.compile(ENGLISH_NAME)


class _Found:
    """A pattern's matches in a text as a search of any prefix of it finds them: the
    whole text's matches that end well before the prefix does, and the few near its end
    matched again in the prefix (a match may end otherwise where the text is cut)."""

    MARGIN = 200  # how far past a match's end the pattern looks, at the most

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text = pattern, text
        self.matches = list(pattern.finditer(text))
        self.ends = [m.end() for m in self.matches]

    def before(self, cut: int) -> tuple[int, list[re.Match[str]]]:
        """(how many of the whole text's matches a search of text[:cut] finds as they
        are, and the matches that search finds after them)."""
        safe = bisect.bisect_right(self.ends, cut - self.MARGIN)
        start = self.ends[safe - 1] if safe else 0
        if safe == len(self.matches) or self.matches[safe].start() >= cut - self.MARGIN:
            # nothing starts between: go back only to a space near the cut
            start = max(start, self.text.rfind(" ", start, max(cut - self.MARGIN, start)))
        return safe, list(self.pattern.finditer(self.text, start, cut))


class Descriptions:
    """Where an article names whom "the <word>" describes, found once for the article:
    the names right after a word ("defender Liam Carter"), and the runs of capitalised
    words that end with one (in English also start with one). Each claim looks them up
    before its own place; a search of all the text before each claim took time quadratic
    in a long article (3,000 lines of "The minister said ..." took 35 s)."""

    def __init__(self, text: str, floor: int, english: bool) -> None:
        self.text, self.floor, self.english = text[floor:], floor, english
        self._runs = _Found(_ENGLISH_RUN if english else NAME_RUN, self.text)
        self._names = [self._name(m.group()) for m in self._runs.matches]
        self._ending: dict[str, list[int]] = {}  # a word -> the runs whose name it ends
        for n, name in enumerate(self._names):
            for word in self._heads(name):
                self._ending.setdefault(word, []).append(n)
        self._after: dict[str, _Found] = {}

    def _name(self, run: str) -> str:
        if self.english:  # "the ministry": "Vietnam's Ministry of Industry and Trade"
            return " ".join(english_split(run.strip())[0].split())
        return " ".join(run.split())

    def _heads(self, name: str) -> set[str]:
        words = name.split()
        if len(words) < 2:
            return set()
        return {words[-1].lower(), words[0].lower()} if self.english else {words[-1].lower()}

    def after(self, head: str, at: int) -> str:
        """The name the text gave last before `at` right after the word `head`."""
        if head not in self._after:
            # (the description's word in any case; the name after it capitalised)
            pattern = re.compile(rf"\b(?i:{re.escape(head)})\s+((?:[A-Z][\w'’-]+\s*){{1,3}})")
            self._after[head] = _Found(pattern, self.text)
        found = self._after[head]
        safe, tail = found.before(at - self.floor)
        last = tail[-1] if tail else found.matches[safe - 1] if safe else None
        return split_role(last.group(1).strip())[0] if last else ""

    def ending(self, head: str, at: int) -> str:
        """The last run before `at` whose name ends (in English, or starts) with `head`."""
        safe, tail = self._runs.before(at - self.floor)
        for match in reversed(tail):
            name = self._name(match.group())
            if head in self._heads(name):
                return name
        held = self._ending.get(head, [])
        k = bisect.bisect_left(held, safe)
        return self._names[held[k - 1]] if k else ""
