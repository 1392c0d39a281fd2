"""Quote provenance on the real seeds (issue 35, point 4): a pasted quote or paraphrase,
English or Indonesian, gives its earliest appearance, every outlet that carried it and the
word-level differences of each version; or "not in the archive"."""

import json
from pathlib import Path

import pytest

from bot.chain import Bot
from bot.provenance import NOT_FOUND, marked, trace, word_changes
from bot.web.claims_view import render_provenance
from index.errors import QuestionError
from index.settings import Settings
from tests.app_process import bot_output

REPO = Path(__file__).resolve().parents[2]
SHARED = "Jika kita percaya pada kebebasan, demokrasi, jika kita tidak ingin otokrasi"


def test_a_quote_carried_by_two_outlets_shows_both_and_what_differs(bot: Bot) -> None:
    found = trace(bot.ledger_index(), bot.embedder, SHARED)
    assert found.found and found.match == "verbatim"
    assert [(v.outlet, v.date) for v in found.versions] == [
        ("Medcom", "2023-01-30"),
        ("kumparan", "2023-01-30"),
    ]
    first, other = found.versions
    assert first.speaker == "Jens Stoltenberg" and SHARED in first.quote
    assert other.changes and other.changes == word_changes(first.quote, other.quote)
    text = (REPO / other.source).read_text(encoding="utf-8")
    assert text[other.start : other.end] == other.quote


@pytest.mark.parametrize(
    ("paraphrase", "speaker", "outlet"),
    [
        ("North Korea has denied the accusations since last weekend.", "Korut", "kumparan"),
        (
            "Stoltenberg urged South Korea to do more, citing an urgent need for ammunition.",
            "Jens Stoltenberg",
            "Medcom",
        ),
        (
            "99 percent of military support to Ukraine comes from NATO allies",
            "Jens Stoltenberg",
            "ANTARA",
        ),
    ],
)
def test_an_english_paraphrase_finds_the_indonesian_quote(
    bot: Bot, paraphrase: str, speaker: str, outlet: str
) -> None:
    found = trace(bot.ledger_index(), bot.embedder, paraphrase)
    assert found.match == "paraphrase", found.to_json()
    assert found.versions[0].speaker == speaker and found.versions[0].outlet == outlet


@pytest.mark.parametrize(
    "quote",
    [
        "The president said the economy will grow seven percent next year.",
        "Menteri Keuangan Sri Mulyani mengatakan defisit anggaran akan turun.",
        "Putin mengatakan Rusia tidak akan pernah menyerang NATO.",  # close, other names
    ],
)
def test_what_no_article_says_is_not_in_the_archive(bot: Bot, quote: str) -> None:
    found = trace(bot.ledger_index(), bot.embedder, quote)
    assert not found.found and found.to_json()["message"] == NOT_FOUND
    assert render_provenance(bot, quote) == f"<p>{NOT_FOUND}</p>"


def test_word_changes_and_bad_input(bot: Bot) -> None:
    changes = word_changes("gaji naik lima persen mulai Januari", "gaji naik 5 persen Januari")
    assert changes == [
        {"op": "replace", "earliest": "lima", "this": "5"},
        {"op": "delete", "earliest": "mulai", "this": ""},
    ]
    assert marked(changes) == "[-lima-] {+5+}; [-mulai-]"
    with pytest.raises(QuestionError, match="Paste a quote"):
        trace(bot.ledger_index(), bot.embedder, "   ")
    with pytest.raises(QuestionError, match="shorter"):
        trace(bot.ledger_index(), bot.embedder, "kata " * 500)


def test_the_page_box_links_each_version(bot: Bot) -> None:
    shown = render_provenance(bot, SHARED + ' <script>alert("x")</script>')
    assert "<b>Earliest</b>" in shown and "/source/" in shown and "<script>" not in shown
    assert shown.count("<li>") == 2 and "<del>" in shown


def test_the_provenance_command(seeded: Settings) -> None:
    def run(*args: str) -> str:
        return bot_output("provenance", *args, data_dir=seeded.data_dir)

    assert "Matched word for word. Earliest: Medcom, 2023-01-30" in run(SHARED)
    as_json = json.loads(run("North Korea has denied the accusations.", "--json"))
    assert as_json["found"] and as_json["earliest"]["speaker"] == "Korut"
    assert run("Jokowi meresmikan jembatan baru di Papua.").strip() == NOT_FOUND
