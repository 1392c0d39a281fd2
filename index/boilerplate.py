"""Which parts of a news page are site furniture rather than article text.

Furniture is cut by its own edges, keeping the sentences around it: a line as a whole
(a menu, a date, a fragment), a sentence (a follow-us call, a share bar, a "read also"
link), or a span inside one (an ad marker, a photo credit, a copyright notice). A body
sentence that merely contains a word such as "juga" or "Google" stays; only the shapes
below are cut.
"""

import itertools
import re
from collections.abc import Iterator

from index.sentences import split_sentences

# (a marker with a colon is a label, cut with its copy by `sentence_furniture`)
_AD = re.compile(r"\b(?:ADVERTISEMENT|ADVERTORIAL|SCROLL TO CONTINUE WITH CONTENT|IKLAN)\b(?!\s*:)")
# Shapes that are furniture wherever they stand.
_ALWAYS = [
    r"^waktu baca\b",
    r"^\d+\s+min(?:ute)?s?\s+read$",
    r"^(?:version|versi|ver\.?|v)\s*\d+(?:\.\d+)+$",
    r"^(?:sumber|source|editor|pewarta|penulis|reporter|penerjemah|foto|copyright)\s*:",
]
# Shapes that are furniture only on a short line; a long sentence using these words is text.
_SHORT = [
    r"^(?:jangan lupa\s+)?(?:ikuti|follow|subscribe|download|unduh|dapatkan|gabung|join|"
    r"simak)\b.*"
    r"(?:channel|whatsapp|telegram|instagram|twitter|facebook|youtube|tiktok|aplikasi|app|"
    r"update|berita|newsletter|news|google\s+news)\b",
    r"^cek berita\b",
    r"\bklik\s*:",
    # (a "© 2024 Outlet" notice is cut out of its line by _INLINE, keeping the text around it)
    r"^copyright\s+\d{4}|all rights reserved|hak cipta dilindungi",
    # a notice with no holder: "Hak cipta © 2024.", "© 2024", "Copyright (c) 2024"
    # (alone in its piece: "© 2022 Detik.com Sebagian warga ..." is cut by _INLINE, by edges)
    r"^(?:(?:hak\s+cipta|copyright)\s*)?(?:©|\(c\))\s*\d{4}\s*\.?$",
]
_SHORT_WORDS = 30
# A promotion box: a short line that opens with a teaser and ends in a click-through,
# "Viral! 18 Kampus ... Info lebih lengkap klik: ...". Judged as a whole line.
_PROMO_RE = re.compile(
    r"^(?:viral|promo|info lebih lengkap)\b.*\b(?:klik|daftar|kunjungi)\b", re.IGNORECASE
)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_ALWAYS_RE = _compile(_ALWAYS)
_SHORT_RE = _compile(_SHORT)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def strip_ads(line: str) -> tuple[int, int]:
    """Span of `line` left after trimming advertisement tokens glued to either end."""
    start, end = 0, len(line)
    for match in _AD.finditer(line):
        if not line[start : match.start()].strip():
            start = match.end()
        elif not line[match.end() : end].strip():
            end = match.start()
            break
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def is_boilerplate(line: str) -> bool:
    """True when a line (ads already trimmed) is furniture, not article text."""
    text = line.strip()
    if not text or not _HAS_LETTER.search(text):
        return True
    words = text.split()
    if len(words) <= _SHORT_WORDS and _PROMO_RE.search(text):
        return True
    # (furniture shapes such as "Sumber: ..." or a follow-us call are judged piece by piece
    # by `sentence_furniture`: a line that starts with one may go on with the news)
    # a site menu run together: "Tentang KamiPedoman Media SiberKetentuan ..."
    if len(_CAMEL_JOIN.findall(text)) >= 3 and not _SENTENCE_END.search(text):
        return len(split_sentences(text, 0, len(text))) == 1  # not sentences on "PlayStation"
    # a short fragment with no sentence ending: "Google News", "Cek Berita ... di"
    return len(words) < 4 and not _SENTENCE_END.search(text)


# Who holds a copyright: a domain, whole in itself ("Detik.com"), or a word, with more
# capitalised words only where the notice ends after them (at a full stop or the end of
# the line): a sentence glued after it starts with a capitalised word too ("© 2021
# Republika Pihak Formula One ..." keeps "Pihak").
_DOMAIN = r"[\w-]+(?:\.[\w-]+)+"
_NAME_WORD = r"\s+[A-Z][\w-]*+(?=\s*(?:\.|$|All rights)|(?:\s+[A-Z][\w-]*+)+\s*(?:\.|$))"
# Furniture with edges of its own, wherever it stands inside a line of text.
_INLINE = re.compile(
    r"\b(?:ADVERTISEMENT|ADVERTORIAL|IKLAN|SCROLL TO CONTINUE WITH CONTENT)\b:?"
    # in title case only where no sentence goes on from it ("Advertisement revenue rose")
    r"|\b(?:Advertisement|Advertorial)\b(?!:?\s+[a-z])"
    r"|\((?:Foto|Photo)\s*:[^()]{1,80}\)"
    rf"|(?:©|\(c\)|Copyright\s*©?)\s*\d{{4}}\s+(?:{_DOMAIN}|[\w-]+(?:{_NAME_WORD})?)"
    r"(?:\.?\s*All rights reserved\.?|\.(?=\s|$))?"
    rf"|\b\d{{4}}\s*©\s*(?:{_DOMAIN}|[\w-]+(?:{_NAME_WORD}){{0,3}})"
)


def inline_furniture(line: str) -> list[tuple[int, int]]:
    """Spans of furniture inside a line that is otherwise text: ad markers, bracketed photo
    credits, copyright notices."""
    return [m.span() for m in _INLINE.finditer(line)]


# A label that introduces furniture running on after it, at the start of a sentence:
# a link to another article ("Baca juga: <its headline>"), a photo credit, a share bar,
# ad copy. Labels need their colon or a spaced dash: "Lihat juga bagaimana ..." and
# "Lihat-lihat" are text.
_LABEL = re.compile(
    r"(?P<open>[\[(]\s*)?\b(?:"
    r"(?P<link>(?:baca|lihat|simak|read|see)(?:\s+(?:juga|pula|also|more))?\s*(?::|[-–](?=\s))"
    r"|(?:artikel|berita)\s+(?:terkait|lainnya)\s*(?::|[-–](?=\s))"
    r"|related(?:\s+(?:articles?|stories|news))?\s*:)"
    r"|(?P<credit>(?:foto|photo|gambar|image)\s*:)"
    r"|(?P<ad>(?:ADVERTISEMENT|ADVERTORIAL|IKLAN|SPONSORED)\s*:)"
    r"|(?P<share>(?:share|bagikan)(?P<object>(?:\s+(?:this|artikel|berita|ini|article|story|"
    r"page|post|halaman)\b)+)?(?:\s+(?:on|via|to|ke|di|lewat|melalui)\b)?\s*:?)"
    r")",
    re.IGNORECASE,
)
_NETWORKS = re.compile(
    r"(?:[\s,|/·•]*\b(?:facebook|twitter|x|whatsapp|wa|telegram|line|linkedin|pinterest|"
    r"instagram|e-?mail|messenger|tiktok|threads|copy\s+link|salin\s+tautan)\b)+",
    re.IGNORECASE,
)
# Lowercase words a title-cased headline keeps: "Harga Cabai di Pasar Naik dan Turun".
_TITLE_WORDS = {
    "di", "ke", "dari", "dan", "yang", "untuk", "dengan", "pada", "atau", "oleh", "bagi",
    "of", "the", "a", "an", "to", "in", "on", "at", "for", "and", "or", "vs", "by", "with",
    "from", "as",
}  # fmt: skip
_AD_COPY_WORDS = 12  # ad copy after its label is a line of promotion, not a paragraph
_ENDS = re.compile(r"[.!?][\"'”’)\]]*\s*$")


# Where a news sentence visibly starts: a dateline ("Jakarta (ANTARA) -", "Jakarta, CNN
# Indonesia --", "Merdeka.com -", "SPANYOL -") or an opening quote.
_SENTENCE_START = re.compile(
    r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2}\s*\([A-Za-z][\w .&-]{1,30}\)\s*[-–—]"
    r"|[A-Z][\w.'-]*,\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?\s*[-–—]"
    r"|[A-Za-z][\w-]*\.(?:com|net|id|co\.id|org)\b\s*[-–—,]"
    r"|[A-Z]{3,}\s*[-–—]\s"
    r"|[\"“]"
)
_HEADLINE_WORDS = 16  # a headline is short: a sentence start this close ends it
# Words that open news sentences, capitalised inside a run where a headline or credit
# stops: connectives and prepositions, and the titles sentences lead with ("Gubernur Jawa
# Tengah mengatakan"). A headline holding one is cut short there: text kept, never lost.
_OPENERS = {
    "menurut", "sebelumnya", "selain", "pada", "namun", "sementara", "sedangkan",
    "dilansir", "diberitakan", "dikutip", "bagi", "berbeda", "mengutip", "kepada",
    "seperti", "melansir", "dalam", "jika", "adapun", "meski", "meskipun", "setelah",
    "terkait", "selanjutnya", "kemudian", "akibatnya", "karena", "saat", "ketika", "usai",
    "sejak", "bahkan", "di", "dari", "dengan", "atas",
    "presiden", "wakil", "menteri", "gubernur", "bupati", "wali", "walikota", "ketua",
    "kepala", "direktur", "sekretaris", "sekjen", "kapolri", "kapolda", "kapolres",
    "panglima", "juru", "jubir", "anggota", "pelatih", "manajer", "ceo", "dirut",
    "komisioner", "hakim", "jaksa", "pengamat", "peneliti", "mantan", "pemerintah",
    "kementerian", "pihak", "polisi", "warga",
    "however", "meanwhile", "according", "earlier", "president", "minister", "governor",
    "mayor", "police", "officials", "spokesman", "spokeswoman", "spokesperson", "chairman",
    "director", "secretary", "prime",
}  # fmt: skip


def _opens_sentence(text: str, at: int) -> bool:
    """A news sentence visibly starts at `at`: a dateline, an opening quote, an opener."""
    if _SENTENCE_START.match(text, at):
        return True
    first = _FIRST_WORD.match(text, at)
    word = first.group(1).rstrip(",") if first else ""
    return word[:1].isupper() and word.lower() in _OPENERS


_FIRST_WORD = re.compile(r"\s*(\S+)")


def _tokens(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The words of text[:end] that start at or after `start` (a word that `start` cuts
    into is not one of them)."""
    tokens = _TOKEN.finditer(text, start, end)
    if 0 < start < end and not text[start - 1].isspace() and not text[start].isspace():
        next(tokens, None)  # the rest of a word begun before `start`, if `start` cuts one
    return tokens


_TOKEN = re.compile(r"\S+")
_MARKS = "\"'“”‘’()[],.:;!?"  # quotes, brackets and punctuation around a word


def _headline_end(text: str, start: int, end: int) -> int:
    """Where a title-cased run (a headline) starting at `start` ends when a news
    sentence is glued to it: at a dateline or an opening quote; else before the
    capitalised word that starts the sentence ("... Naik Dua Kali Lipat | Pemerintah
    mengatakan"). `end` when the run reaches it."""
    tokens = list(itertools.islice(_tokens(text, start, end), _HEADLINE_WORDS))
    if len(tokens) > 1 and tokens[1].group()[:1].islower():
        # In sentence case ("Five things to know about ..."), case shows no edge: the
        # headline runs to where a news sentence visibly starts, if that is close.
        for token in tokens[2:_HEADLINE_WORDS]:
            if _opens_sentence(text, token.start()):
                return token.start()
        return _case_edge(tokens, end)
    last_capital = start
    previous = ""
    for n, token in enumerate(_tokens(text, start, end)):
        # (its first word opens the run itself: "Baca juga: Polisi Tangkap ...")
        if n > 0 and _opens_sentence(text, token.start()):
            return token.start()
        word = token.group().strip(_MARKS)
        if not word or not word[0].isalpha() or word[0].isupper():
            if word[:1].isupper() and previous not in ("-", "–"):  # "Bosnia - Herzegovina"
                last_capital = token.start()
            previous = token.group()
            continue
        if word.lower() not in _TITLE_WORDS:
            return last_capital
        previous = token.group()
    return end


def _credit_end(text: str, start: int, end: int) -> int:
    """Where a photo credit starting at `start` ends ("Foto: ANTARA/Rivan Awal Lingga",
    "Foto: Istimewa"). Alone in its piece, or before a sentence that visibly starts, it is
    whole. Glued to a sentence with no mark (a lowercase word shows the run went on into
    text), the name and the sentence's first words are one capitalised run ("Foto:
    Istimewa Mary Jane ditangkap"), so only what is surely credit goes: up to the word
    that holds its slash, else its first word; a stray name word may stay, no word of
    the sentence goes."""
    least = end
    for n, token in enumerate(_tokens(text, start, end)):
        if n > 0 and _opens_sentence(text, token.start()):
            return token.start()
        if n == 0 or "/" in token.group():
            least = token.end()
        word = token.group().strip(_MARKS)
        if n > 0 and word[:1].islower():
            return least
    return end


def _case_edge(tokens: list[re.Match[str]], end: int) -> int:
    """Where a sentence-case run (a headline, ad copy: "Save 30% today", "Five things to
    know about the new toll road") ends when a sentence is glued to it with no full stop:
    at the first capitalised word after a lowercase one, or a number between them ("...
    for a month 5 Puisi Religi ..."), the earliest place the next sentence or headline can
    start. A name inside the run ends it early, so the cut only ever leaves some of the
    run in, never takes a word of the sentence out. `end` when there is none."""
    for before, token, after in zip(tokens[:-1], tokens[1:], [*tokens[2:], None], strict=True):
        if not before.group()[:1].islower():
            continue
        if token.group()[:1].isupper():
            return token.start()
        if token.group()[:1].isdigit() and after is not None and after.group()[:1].isupper():
            return token.start()
    return end


def _label_span(text: str, label: re.Match[str], end: int) -> tuple[int, int] | None:
    """The furniture a label introduces, within its piece of text (up to `end`)."""
    start, after = label.start(), label.end()
    if label["open"]:  # "[Baca juga: ...]", "(Foto: ...)": to the closing bracket
        close = text.find("]" if label["open"].startswith("[") else ")", after, end + 200)
        return (start, close + 1) if close > 0 else None
    if label["share"]:
        networks = _NETWORKS.match(text, after, end)
        if networks:
            return start, networks.end()
        return (start, after) if label["object"] else None
    if label["ad"]:  # its copy runs to where a sentence visibly starts, if that is close
        words = list(itertools.islice(_tokens(text, after, end), _AD_COPY_WORDS + 1))
        opener = next((w.start() for w in words if _opens_sentence(text, w.start())), end)
        edge = min(opener, _case_edge(words, end))
        copy = text[after:edge]
        return (start, edge) if len(copy.split()) <= _AD_COPY_WORDS else (start, after)
    # A headline or a credit has no full stop: a piece without one is all of it.
    if not _ENDS.search(text[start:end]):
        return start, end
    if label["credit"]:
        return start, _credit_end(text, after, end)
    return start, _headline_end(text, after, end)


# Pieces for judging furniture: split after every full stop, whatever follows it (spaced
# quotes, lowercase), since a cut only ever takes furniture out of a piece.
_PIECE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
# A call to follow or subscribe glued after text with no full stop: "... APARTEMEN Ikuti
# berita terkini dari kami di Google News, klik di sini."
_CALL = re.compile(
    r"\b(?:Jangan\s+lupa|Ikuti|Follow|Subscribe|Download|Unduh|Dapatkan|Gabung|Join|Simak|Hak\s+cipta)\b"
)


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for match in _PIECE_END.finditer(text, start, end):
        spans.append((cursor, match.start() + 1))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans


def _is_call(piece: str) -> bool:
    return bool(
        _ALWAYS_RE.search(piece) or (len(piece.split()) <= _SHORT_WORDS and _SHORT_RE.search(piece))
    )


def sentence_furniture(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of furniture judged piece by piece (a piece ends at a full stop) inside
    text[start:end]: a piece of a furniture shape, or a label with what it introduces, up
    to that furniture's own edge, keeping a news sentence glued to it."""
    spans = []
    for a, b in _pieces(text, start, end):
        # Inside a piece, only a capitalised label: "sesi foto: ..." is text.
        labels = [
            m
            for m in _LABEL.finditer(text, a, b)
            if m.start() == a or m.group().lstrip("[( ")[:1].isupper()
        ]
        for label in labels:
            span = _label_span(text, label, b)
            if span is not None:
                spans.append(span)
                a = max(a, span[1])  # a call glued after a headline: "... Costa Follow us ..."
        if not labels and _is_call(text[a:b]):
            spans.append((a, b))
            continue
        for call in _CALL.finditer(text, a, b):
            if (call.start() > a or labels) and _is_call(text[call.start() : b]):
                spans.append((call.start(), b))
                break
    return spans


def furniture_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Every span of furniture inside the line text[start:end], sorted."""
    inline = [(a, b) for a, b in inline_furniture(text[:end]) if a >= start]
    return sorted(inline + sentence_furniture(text, start, end))
