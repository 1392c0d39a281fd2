"""The Claims tab's pictures, built from the real seeds' ledger (the browser test draws them)."""

from typing import Any

from bot.chain import Bot
from bot.web.claims_view import ALL, matching_claims, render_pictures
from bot.web.pictures import (
    CONTEXT,
    INFERRED,
    grid_chart,
    timeline_chart,
)
from bot.web.sources import source_link
from tests.page_check import OWN_LINK


def layers(chart: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows each layer draws, by mark type ("point", "line")."""
    spec = chart.to_dict()
    found = {}
    for layer in spec.get("layer", [spec]):
        mark = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        found[mark] = spec["datasets"][layer.get("data", spec.get("data"))["name"]]
    return found


def subtitle(chart: Any) -> str:
    return " ".join(chart.to_dict()["title"]["subtitle"])


def test_timeline_marks_each_dated_claim_and_links_its_passage(bot: Bot) -> None:
    chart = timeline_chart(bot.ledger, bot.ledger_index().by_id)
    points = layers(chart)["point"]
    dated = [t for t in bot.ledger if t.first_appearance.date[:4].isdigit()]
    assert 0 < len(dated) < len(bot.ledger)  # the seeds have an article without a date
    assert sorted(p["id"] for p in points) == sorted(t.id for t in dated)
    by_id = bot.ledger_index().by_id
    for p in points:
        first = by_id[p["id"]].first_appearance
        assert p["link"] == source_link(first.doc_id, first.start, first.end)
        assert OWN_LINK.fullmatch(p["link"]) and p["kind"] == by_id[p["id"]].kind
    undated = len(bot.ledger) - len(dated)
    assert f"{undated} claim(s) without a date are not drawn" in subtitle(chart)


def test_inferred_disputes_are_lines_between_the_two_claims(bot: Bot) -> None:
    drawn = layers(timeline_chart(bot.ledger, bot.ledger_index().by_id))
    points = {p["id"]: p for p in drawn["point"]}
    pairs = {
        (t.id, link["claim"]) for t in bot.ledger for link in t.links if link["kind"] == "disputes"
    }
    assert pairs  # Korut denies Stoltenberg's claim
    ends = drawn["line"]
    assert {tuple(e["pair"].split(">")) for e in ends} == pairs
    for e in ends:
        denial, denied = e["pair"].split(">")
        assert any(
            (points[c]["speaker"], points[c]["date"], points[c]["lane"])
            == (e["speaker"], e["date"], e["lane"])
            for c in (denial, denied)
        )
        assert e["link_kind"] == INFERRED and "inferred" in e["dispute"]
    assert all(
        p["disputed"].endswith("(inferred by the ledger)")
        for p in points.values()
        if p["id"] in {c for pair in pairs for c in pair}
    )


def test_the_pictures_follow_the_filter(bot: Bot) -> None:
    timeline, grid = render_pictures(bot, "Korut", ALL)
    points = layers(timeline)["point"]
    korut = {t.id for t in matching_claims(bot, "Korut", ALL)}
    assert {p["id"] for p in points if p["shown"] != CONTEXT} == korut
    # The claim Korut denies is drawn too, faint and said to be outside the filter.
    outside = [p for p in points if p["shown"] == CONTEXT]
    assert [p["speaker"] for p in outside] == ["Jens Stoltenberg"] and outside[0]["opacity"] < 1
    assert layers(timeline)["line"]
    cells = layers(grid)["point"]
    assert {c["outlet"] for c in cells} == {"kumparan"}
    assert len({c["claim"] for c in cells}) == len(korut)
    assert render_pictures(bot, "nobody at all", ALL) == (None, None)
    only_many = layers(render_pictures(bot, ALL, ALL, many=True)[1])["point"]
    assert {c["claim"].split(". ", 1)[0] for c in only_many} == {
        str(n) for n in range(1, len(matching_claims(bot, ALL, ALL, many=True)) + 1)
    }


def test_the_grid_marks_the_first_appearance_and_each_outlet_once(bot: Bot) -> None:
    cells = layers(grid_chart(bot.ledger))["point"]
    widely = max(bot.ledger, key=lambda t: t.outlets)
    assert widely.outlets > 1
    row = [c for c in cells if c["claim"].startswith("1. ")]
    assert len(row) == len({a.outlet for a in widely.reports()})
    first = [c for c in row if c["appearance"] == "first appearance"]
    assert [c["outlet"] for c in first] == [widely.first_appearance.outlet]
    assert all(OWN_LINK.fullmatch(c["link"]) for c in cells)


def test_a_capped_picture_says_what_it_leaves_out(bot: Bot) -> None:
    timeline = timeline_chart(bot.ledger, bot.ledger_index().by_id, most=3)
    drawn = [p for p in layers(timeline)["point"] if p["shown"] != CONTEXT]
    dated = sum(1 for t in bot.ledger if t.first_appearance.date[:4].isdigit())
    assert len(drawn) == 3
    assert "The 3 most recent claims of the" in subtitle(timeline)
    assert f"of {dated} dated claims that match" in subtitle(timeline)
    assert sorted((p["date"] for p in drawn), reverse=True) == [p["date"] for p in drawn]
    grid = grid_chart(bot.ledger, most=5)
    assert len({c["claim"] for c in layers(grid)["point"]}) == 5
    assert f"The 5 most widely reported of {len(bot.ledger)} claims" in subtitle(grid)
    assert "most widely" not in subtitle(grid_chart(bot.ledger))


def test_the_menu_saves_pictures_and_sends_nothing_elsewhere(bot: Bot) -> None:
    for chart in render_pictures(bot, ALL, ALL):
        options = chart.to_dict()["usermeta"]["embedOptions"]
        assert options["actions"] == {
            "export": True,
            "source": False,
            "compiled": False,
            "editor": False,
        }
        assert options["renderer"] == "svg" and options["loader"] == {"target": "_blank"}
