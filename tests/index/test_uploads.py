"""Uploads are kept under the data dir without replacing an earlier, different upload."""

from pathlib import Path

from index.uploads import upload_target


def test_a_second_upload_with_the_same_name_is_kept_beside_the_first(tmp_path: Path) -> None:
    kept = tmp_path / "uploads"
    kept.mkdir()
    first, second, again = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, text in ((first, "one"), (second, "two"), (again, "one")):
        folder.mkdir()
        (folder / "my report.txt").write_text(text)
    target = upload_target(kept, first / "my report.txt")
    assert target == kept / "my_report.txt"
    target.write_text("one")
    assert upload_target(kept, second / "my report.txt") == kept / "my_report-2.txt"
    assert upload_target(kept, again / "my report.txt") == kept / "my_report.txt"  # same text


def test_an_upload_name_cannot_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "..hidden.txt").write_text("x")
    assert (
        upload_target(tmp_path / "uploads", tmp_path / "..hidden.txt").parent
        == tmp_path / "uploads"
    )
