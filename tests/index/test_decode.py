import pytest

from index.decode import decode_bytes, html_to_text, repair_mojibake, repaired
from index.errors import ArticleError


def test_cp874_mojibake_is_repaired() -> None:
    assert repair_mojibake("2024 ยฉ PT Dynamo Media Network") == "2024 © PT Dynamo Media Network"
    assert repair_mojibake("ยท") == "·"


def test_real_thai_text_is_left_alone() -> None:
    assert repair_mojibake("สวัสดีครับ") == "สวัสดีครับ"


def test_windows_1252_file_is_detected() -> None:
    text = "Menteri itu berkata: “Kami akan datang ke café itu pada Senin.” Ini penting sekali."
    assert decode_bytes(text.encode("cp1252")) == text


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes("\ufeffHalo dunia.".encode()) == "Halo dunia."


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        (bytes(range(256)) * 8, "binary"),
    ],
)
def test_non_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        decode_bytes(data)


def test_html_keeps_visible_text_and_drops_scripts() -> None:
    html = (
        "<html><head><title>Judul</title><script>alert('x')</script></head>"
        "<body><nav>Home | News</nav><p>Paragraf pertama.</p><p>Paragraf kedua.</p></body></html>"
    )
    text, title = html_to_text(html)
    assert title == "Judul"
    assert text.splitlines() == ["Paragraf pertama.", "Paragraf kedua."]


def test_a_repaired_line_maps_back_to_the_line_as_written() -> None:
    """Furniture is found in the repaired line and cut from the line as written (issue 33):
    each run of mojibake is repaired on its own, a run that does not round-trip stays."""
    line = "Hak cipta ยฉ 2024. สวัสดี Juru bicara"
    clean, where = repaired(line)
    assert clean == "Hak cipta © 2024. สวัสดี Juru bicara"
    assert len(where) == len(clean) + 1 and where[-1] == len(line)
    notice = clean.index("2024")
    assert line[where[notice] :].startswith("2024")
    assert line[where[clean.index("©")] :].startswith("ยฉ")
