"""Articles added through the page: the uploaded files checked as the page's own, kept
and indexed as the CLI would (index/uploads.py), and what came of each file said in
Markdown.

Kept apart from page.py, which lays out the Add articles box and hands its files here
with Gradio's upload folder and progress bar, so this module needs no gradio.
"""

from pathlib import Path
from typing import Any, Protocol

from bot.chain import Bot
from bot.web.answers_view import escape_markdown, user_message
from index.errors import ClaimbotError
from index.ingest import IngestReport
from index.uploads import Details, ingest_uploads


class ProgressBar(Protocol):
    """The page's progress bar (Gradio's `gr.Progress`), as the upload calls it."""

    def __call__(self, progress: tuple[int, int], desc: str | None = ...) -> object: ...


def received(path: Path, folder: Path) -> bool:
    """A file Gradio received for this page: a plain file inside its upload folder (the
    guard lets an event name only its caller's own; this holds whatever Gradio checks)."""
    folder = folder.resolve()
    return (
        not path.is_symlink()
        and path.resolve().is_relative_to(folder)
        and path.resolve() != folder
        and path.is_file()
    )


def add_articles(
    bot: Bot,
    files: list[Any] | None,
    details: tuple[str, str, str],
    user: str,
    progress: ProgressBar,
    folder: Path,
) -> str:
    """Keep and ingest the uploads (as the CLI would), and make them searchable at once.
    `folder` is Gradio's upload folder: only files received there are taken."""
    if not files:
        return "No files received: choose one or more files first."
    uploads = [Path(item if isinstance(item, str) else item.name) for item in files]
    outside = [u for u in uploads if not received(u, folder)]
    if outside:  # never read, kept, nor deleted: a path named by a request, not an upload
        name = escape_markdown(outside[0].name[:80])
        return f"**⚠ Only files uploaded to this page can be added: {name} was not.**"

    def report_progress(source: str, done: int, total: int) -> None:
        progress((done, total), desc=f"Indexing {Path(source).name}")

    try:
        checked = Details.checked(*details)
        report = ingest_uploads(
            bot.settings,
            uploads,
            bot.embedder,
            details=checked,
            user=user,
            progress=report_progress,
        )
    except ClaimbotError as exc:
        return f"**⚠ {escape_markdown(user_message(exc))}**"
    finally:
        for upload in uploads:  # the only copy kept is ours, under the data dir
            upload.unlink(missing_ok=True)
    bot.reload()
    return upload_report(report)


def upload_report(report: IngestReport) -> str:
    """What came of each uploaded file, as Markdown naming files, never server paths."""
    lines = [
        f"Indexed {len(report.indexed)} file(s), {report.chunks_written} passage(s); "
        f"{len(report.unchanged)} unchanged, {len(report.duplicates)} duplicate(s), "
        f"{len(report.skipped)} skipped."
    ]
    lines += [f"- ✓ {escape_markdown(Path(s).name)}" for s in report.indexed]
    lines += [f"- = {escape_markdown(Path(s).name)}: already indexed" for s in report.unchanged]
    lines += [
        f"- = {escape_markdown(Path(s).name)}: same text as {escape_markdown(Path(d).name)}, "
        "kept as one document"
        for s, d in report.duplicates
    ]
    lines += [
        f"- ✗ {escape_markdown(Path(s).name)}: {escape_markdown(r)}" for s, r in report.skipped
    ]
    for warning in report.warnings:  # "path: what was dropped"; the page names files only
        source, _, what = warning.partition(": ")
        lines.append(f"- ⚠ {escape_markdown(Path(source).name)}: {escape_markdown(what)}")
    return "\n".join(lines)
