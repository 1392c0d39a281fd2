"""Reporting verbs: the words that say someone said something, and the kind of claim each
makes (a statement, a request, a denial, an accusation; a quote when it quotes).

"mendesak", "katanya", "membantah", "said", "urges", "according to": `reporting_verb` finds
the first one a sentence uses as a verb, not as a noun, an adjective, a passive or inside a
quotation ("kebutuhan mendesak", "the claims", "were denied visas", "declined to say").
"""

import re

from index.quotations import QUOTE_MARK, QUOTED, quoted_parts

QUOTE, STATEMENT, REQUEST, DENIAL, ACCUSATION = (
    "quote", "statement", "request", "denial", "accusation",
)  # fmt: skip
KINDS = (QUOTE, STATEMENT, REQUEST, DENIAL, ACCUSATION)

_VERBS = {
    DENIAL: [
        "membantah", "menyangkal", "menepis", "denied", "denies", "deny", "rejected", "dismissed",
        r"menolak (?:tuduhan|tudingan|klaim|laporan)",
    ],
    ACCUSATION: ["menuduh", "menuding", "menyalahkan", "accused", "accuses", "blamed", "alleged"],
    REQUEST: [
        "mendesak", "meminta", "menyarankan", "menyerukan", "mengimbau", "mengajak", "urged",
        "urges", "asked", "called on", "called for", "appealed",
    ],
    STATEMENT: [
        "mengatakan", "berkata", "kata", "katanya", "ujar", "ujarnya", "menyatakan", "menegaskan",
        "tegas", "tegasnya", "menekankan", "menambahkan", "menyebut", "menyebutkan",
        "berpendapat", "mengaku", "menggarisbawahi", "merujuk", "memperingatkan", "menjelaskan",
        "mengungkapkan", "ungkap", "ungkapnya", "tutur", "tuturnya", "menilai", "mengklaim",
        "menyampaikan", "berterima kasih", "menurut", "ucap", "ucapnya", "imbuh", "imbuhnya",
        "jelasnya", "terangnya", "paparnya", "lanjutnya", "pungkasnya", "tambahnya", "tulisnya",
        "sambungnya", "tukasnya", "timpalnya", "kilahnya", "menuturkan", "memaparkan",
        "menerangkan", "mengonfirmasi", "mengklarifikasi", "mengumumkan", "menyuarakan",
        "mengeluhkan", "mengeluh", "bercerita", "menceritakan", "menjanjikan", "berjanji",
        "membenarkan", "mengemukakan", "menandaskan", "mencontohkan", "mengingatkan", "menuliskan",
        "mengabarkan", "menginformasikan", "mengakui", "memprediksi", "memperkirakan",
        "said", "says", "told", "stated", "added", "announced", "explained", "confirmed",
        "acknowledged", "admitted", "wrote", "promised", "pledged", "vowed", "complained",
        "cautioned", "predicted",
        "stressed", "warned", "noted", "argued", "claimed", "insisted", "according to",
    ],
}  # fmt: skip
# English reporting verbs in the tenses news writes them in beyond the past ("researchers
# say", "Paris claims", "The U.S. Department of Agriculture notes", "have asserted",
# "asking religious schools to pay"): real reports are in the present as often as not. A
# base form or a form in -s may be a noun ("the claims", "a report"), which the guards in
# `reporting_verb` tell apart; "report" and "reports" are left out ("a BBC report").
_ENGLISH_FORMS = {
    DENIAL: ["rejects", "dismisses"],
    ACCUSATION: ["accuse", "blames", "criticised", "criticized", "criticises", "criticizes"],
    REQUEST: [
        "urge", "urging", "ask", "asks", "asking", "call for", "calling for",
        "recommends", "recommended", "requested", "requests", "pleaded", "pleads",
        "proposed", "proposes", "proposing", "encouraged", "encourages", "encouraging",
        "demanded", "demands",
    ],
    STATEMENT: [
        "say", "tell", "tells", "claim", "claims", "claiming", "note", "notes", "noting",
        "observed", "observes", "commented", "comments", "tweeted", "tweets", "asserted",
        "asserts", "reported", "reporting", "described", "describes", "describe",
        "concluded", "concludes", "characterized", "characterised", "characterizes",
        "characterises", "reasoned", "replied", "replies", "suggested", "suggests",
        "writes", "writing", "stating", "states", "adds", "adding", "warns", "warning",
        "called", "issued a statement", "saying", "explains", "announces", "confirms",
        "admits", "insists", "argues", "stresses", "acknowledges", "predicts",
    ],
}  # fmt: skip
for _kind_name, _forms in _ENGLISH_FORMS.items():
    _VERBS[_kind_name] += _forms
# (a capitalised form opening a sentence has no subject before it: "Requests have come
# from ...", "Writing in a blog post, Matthew Ingram dubbed ...": no reporting verb)
_NO_SUBJECT_FORMS = {f for forms in _ENGLISH_FORMS.values() for f in forms}

# Indonesian verbs that put the speaker after them, wherever they stand: "kata Rivai",
# "Para calon jemaah, kata Rivai, tak perlu ...", "Padahal kata Fredrich, ...".
SPEAKER_AFTER = {"kata", "ujar", "tutur", "ucap", "imbuh", "ungkap"}
_KIND_OF = {v: kind for kind, verbs in _VERBS.items() for v in verbs}
_VERB = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted((v for vs in _VERBS.values() for v in vs), key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)
# "kebutuhan mendesak" is an urgent need, not an urging.
_ADJECTIVE_USE = re.compile(r"(?:kebutuhan|yang|sangat|hal|sesuatu|keadaan)\s+$", re.IGNORECASE)
# A reporting verb right after a negation or a modal reports nothing said: "Basaria belum
# bisa menyampaikan ...", "tidak mau menjelaskan", "declined to say", "did not confirm".
_NOT_SAID = re.compile(
    r"(?<![\w-])(?:belum|tidak|tak|enggan|bisa|dapat|mau|ingin|akan|not|never|to|\w+n't|"
    r"would|could|should|might|may|must|will|can|shall)\s+$",
    re.IGNORECASE,
)
# An English reporting word that is no verb here: a passive ("They were twice denied visas",
# "has been described as pseudoscience", "was initially denied"), or a noun after a
# determiner ("the claims made about him", "a statement", "their claims").
_PASSIVE = re.compile(r"(?<![\w-])(?:was|were|been|being|be|is|are)\s+(?:\w+ly\s+)?$", re.I)
# English base forms report speech after a plural subject only: "researchers say", "Critics
# claim", "They call for", "WHO say"; not "How can you tell", "You'll note", "say between".
_BASE_FORMS = {"say", "tell", "ask", "note", "claim", "describe", "urge", "accuse", "call for"}
_PLURAL_WORDS = {"they", "people", "police", "staff", "media", "public", "crew", "government"}
_NOT_PLURAL = {"is", "was", "has", "does", "this", "his", "us", "its", "as", "thus"}
_THAT_SAID = re.compile(r"^\s*(?:That|Having)\s+said\b,?|^\s*That said,", re.IGNORECASE)


def _plural_subject(before: str) -> bool:
    """Whether the word before an English base form can be its subject in a report."""
    words = before.split()
    if not words or before.rstrip().endswith(","):  # "Take, say, the north wall"
        return False
    word = words[-1].strip(EDGE)
    lower = word.lower()
    if lower in _PLURAL_WORDS:
        return True
    if word[:1].isupper():
        return lower not in {"i", "you", "we", "how", "why", "what", "when", "where", "who"}
    return lower.endswith("s") and lower not in _NOT_PLURAL


# "has called the sentence "dangerous"": a name given in quotation marks.
_CALLED_QUOTE = re.compile(r"\s+(?:[\w'’-]+\s+){0,3}[\"“]")
# An aside opened after a name and closed by a comma later: its verb is not the sentence's.
_ASIDE_OPEN = re.compile(r",\s+(?:who|which)\s+[^,]*$")
_DETERMINER = re.compile(
    r"(?:(?<![\w-])(?:the|a|an|his|her|their|its|our|my|your|these|those|this|such|every|any|"
    r"no)|\w['’]s)\s+$",  # "the Church of Scientology's requests": a noun
    re.IGNORECASE,
)
_DEGREE = re.compile(r"(?<![\w-])(?:very|so|too|more|most|quite|rather|less|least)\s+$", re.I)
# A participle with its agent after it is no one speaking: "a condition characterised by
# severe brain damage", "criticised by critics of the organisation".
_BY_AGENT = re.compile(r"\s+by\b")

_ASKED_ABOUT = re.compile(r"\s+(?:about|whether|if|why|how|what|when|where|who)\b", re.I)
# "menyampaikan pernyataan ini": says that something was said, not what.
_META = re.compile(r"^\s+(?:pernyataan|hal|keterangan)\s+(?:ini|itu|tersebut)\b", re.IGNORECASE)


# Words that report speech only as the tag after a quote or a clause, before the speaker:
# '" ..., " jelas Rivai', '..., lanjut dia' ("jelas" is "clear", "lanjut" "further" elsewhere).
TAG_WORDS = ("jelas", "lanjut", "sambung", "tambah", "terang", "tulis", "papar", "tukas",
             "timpal", "kilah", "sindir")  # fmt: skip
_TAG_VERB = re.compile(
    rf"(?<=[,\"”])\s*({'|'.join(TAG_WORDS)})(?=\s+(?:[A-Z]|(?:dia|ia|beliau)\b))",
    re.IGNORECASE,
)


def reporting_verb(sentence: str, inside: bool = False) -> re.Match[str] | None:
    """The first reporting verb outside quotation marks that is used as a verb; `inside`:
    the sentence starts inside a quotation opened before it, up to its first mark."""
    quoted = _quoted_spans(sentence, inside)
    found = [*_VERB.finditer(sentence), *_TAG_VERB.finditer(sentence)]
    for match in sorted(found, key=lambda m: m.start(1)):
        if any(s < match.start() < e for s, e in quoted):
            continue
        if not _used_as_verb(sentence, match) or not _reports_speech(sentence, match):
            continue
        if _META.match(sentence[match.end() :]):
            return None  # "Dia menyampaikan hal tersebut ...": context, not a claim
        return match
    return None


def _quoted_spans(sentence: str, inside: bool) -> list[tuple[int, int]]:
    """Where the sentence's quotations are, between their marks; with `inside`, the first
    one runs from before the sentence to its first mark."""
    quoted = quoted_parts(sentence)
    if inside:
        mark = QUOTE_MARK.search(sentence)
        closes = mark.end() if mark else len(sentence)
        # the first mark closes the quotation; the marks after it pair among themselves
        # ('... goodbye," Microsoft says on "The Internet Explorer 6 Countdown".')
        quoted = [(-1, closes - 1)] + [
            (closes + a, closes + b) for a, b in quoted_parts(sentence[closes:])
        ]
    return quoted


def _used_as_verb(sentence: str, match: re.Match[str]) -> bool:
    """Whether a reporting word is a verb where it stands, not an adjective, a noun, a
    passive or a participle, and has a subject to report with."""
    word = match.group(1).lower()
    before = sentence[: match.start()]
    if word == "mendesak" and _ADJECTIVE_USE.search(before):
        return False  # "kebutuhan mendesak": an adjective
    progressive = word.endswith("ing")  # "were warning": active
    if (_PASSIVE.search(before) and not progressive) or _DETERMINER.search(before):
        return False  # "were denied visas", "the claims": no one reports anything
    if progressive and _DEGREE.search(before):
        return False  # "were very encouraging": an adjective
    if word.endswith("ed") and _BY_AGENT.match(sentence, match.end()):
        return False  # "a condition characterised by ...": a participle
    if word in _NO_SUBJECT_FORMS and (not before.strip(EDGE) or match.group(1)[:1].isupper()):
        return False  # "Requests have come from ...", "the United States": no verb
    # a base form reports after a plural subject only: "How can you tell", "say between
    # Jews and Arabs" report nothing
    return word not in _BASE_FORMS or _plural_subject(before)


def _reports_speech(sentence: str, match: re.Match[str]) -> bool:
    """Whether a reporting verb reports something said here: not negated nor a question,
    an idiom, a naming without words said, or the verb of an aside."""
    word = match.group(1).lower()
    before = sentence[: match.start()]
    if word == "asked" and _ASKED_ABOUT.match(sentence, match.end()):
        return False  # "Asked about the union's concerns, Solheim rejected them": a question
    if _NOT_SAID.search(before):
        return False  # "belum mau menjelaskan", "declined to say": nothing said here
    if word == "said" and _THAT_SAID.search(sentence[: match.end() + 1]):
        return False  # "That said, ...": an idiom
    if word == "called" and not _CALLED_QUOTE.match(sentence, match.end()):
        return False  # "called" reports speech only with what was said after it
    # "Priya Nair, who first reported the leak ..., accused": the aside's verb
    return not (_ASIDE_OPEN.search(before) and "," in sentence[match.end() :])


# A second reporting verb joined to the first one's clause: "... accused the mayor of
# presenting a budget and said the reserves would run out", "..., saying they had been
# published", "... dan mengatakan ...".
_JOINED = re.compile(r"(?:,?\s+(?:and|dan|serta)|,)\s+$", re.IGNORECASE)
_SAYING = re.compile(r"(?<=,\s)(saying|menyebut|seraya mengatakan)\b", re.IGNORECASE)


def second_statement(sentence: str, verb: re.Match[str]) -> tuple[int, int, str] | None:
    """(where in the sentence the first statement ends and the second starts, its verb)
    when the sentence says two things with two reporting verbs, the second joined to the
    first's clause."""
    quoted = [m.span() for m in QUOTED.finditer(sentence)]
    found = [*_VERB.finditer(sentence, verb.end()), *_SAYING.finditer(sentence, verb.end())]
    for match in sorted(found, key=lambda m: m.start(1)):
        at = match.start(1)
        if any(a < at < b for a, b in quoted) or not sentence[verb.end() : at].strip():
            continue
        joined = _JOINED.search(sentence[:at])
        participle = match.re is _SAYING or match.group(1).lower() == "saying"
        if joined and (participle or joined.group().strip(" ,")):
            return joined.start(), at, match.group(1)
    return None


EDGE = " ,:;-\"'“”‘’"  # never part of a name: '," Whitcombe said' gives "Whitcombe"


def claim_kind(verb: str, text: str) -> str:
    """The kind of claim a reporting verb makes; a statement that quotes four words or more
    is a quote."""
    kind = _KIND_OF.get(verb.lower())
    if kind is None:  # multi-word verbs such as "menolak tuduhan"
        kind = DENIAL if verb.lower().startswith("menolak") else STATEMENT
    if kind == STATEMENT and any(len(q.split()) >= 4 for q in QUOTED.findall(text)):
        return QUOTE
    return kind
