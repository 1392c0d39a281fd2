"""Command line: `python -m bot ingest|ask|chat|serve`; errors become one line, exit 1."""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from bot.answer import Answer
from index.errors import ClaimbotError
from index.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_SEEDS = Path("seeds")


def data_dir_option(func: F) -> F:
    return click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Where the index lives (default .claimbot/, or CLAIMBOT_DATA_DIR).",
    )(func)


def make_settings(data_dir: Path | None) -> Settings:
    """Settings from the environment, with command-line overrides on top."""
    return Settings(data_dir=data_dir) if data_dir else Settings()


class ClaimbotGroup(click.Group):
    """Turns project errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimbotError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=ClaimbotGroup)
def main() -> None:
    """Ask questions of news articles; every answer cites the exact passage."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Drop the index and build it again.")
@data_dir_option
def ingest(paths: tuple[Path, ...], rebuild: bool, data_dir: Path | None) -> None:
    """Index .txt, .md and .html files (folders recursively; default seeds/)."""
    from index.embed import make_embedder
    from index.ingest import ingest_paths

    settings = make_settings(data_dir)
    targets = list(paths) or [DEFAULT_SEEDS]
    with click.progressbar(length=1, label="Indexing", file=sys.stderr) as bar:

        def progress(source: str, done: int, total: int) -> None:
            bar.length = total
            bar.label = f"Indexing {Path(source).name[:30]:<30}"
            bar.update(1)

        report = ingest_paths(
            settings, targets, make_embedder(settings), rebuild=rebuild, progress=progress
        )
    click.echo(
        f"{len(report.indexed)} file(s) indexed, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} skipped, {len(report.removed)} removed; "
        f"{report.chunks_written} chunk(s) written in {report.seconds:.1f} s."
    )
    for source, reason in report.skipped:
        click.echo(f"  skipped {source}: {reason}")
    for source in report.removed:
        click.echo(f"  removed {source}: the file is gone")
    if report.skipped:
        sys.exit(2)  # some files were not indexed: tell scripts, after indexing the rest


def print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    if answer.notice:
        click.echo(f"Note: {answer.notice}\n")
    click.echo(answer.answer)
    if answer.mode == "llm" and answer.citations:
        click.echo("")
        for c in answer.citations:
            click.echo(f'[{c.n}] {c.outlet}, {c.date}: "{c.quote}"')
    if answer.citations:
        click.echo("")
        for c in answer.citations:
            click.echo(f"[{c.n}] {c.source}:{c.start}-{c.end}")
    for flag in answer.flags:
        click.echo(f"! {flag}")


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option(
    "--questions",
    type=click.File("r", encoding="utf-8"),
    help='A JSONL file of {"question": ...}; one JSON answer per line.',
)
@data_dir_option
def ask(question: str | None, as_json: bool, questions: Any, data_dir: Path | None) -> None:
    """Answer QUESTION from the indexed articles, with citations."""
    from bot.chain import Bot

    if not question and not questions:
        raise click.UsageError("Give a QUESTION, or --questions FILE.jsonl.")
    bot = Bot(make_settings(data_dir))
    if question:
        print_answer(bot.ask(question), as_json)
    if questions:
        for number, line in enumerate(questions, 1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)["question"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                click.echo(json.dumps({"line": number, "error": 'expected {"question": "..."}'}))
                continue
            print_answer(bot.ask(text), as_json=True)


@main.command()
@data_dir_option
def chat(data_dir: Path | None) -> None:
    """Ask questions at a prompt until an empty line or Ctrl-D."""
    from bot.chain import Bot

    bot = Bot(make_settings(data_dir))
    click.echo(f"{bot.corpus.articles} article(s) indexed; mode: {bot.mode}. Empty line to quit.")
    while True:
        try:
            question = input("\nquestion> ").strip()
        except EOFError:
            break
        if not question:
            break
        print_answer(bot.ask(question), as_json=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7860, show_default=True, type=int)
@data_dir_option
def serve(host: str, port: int, data_dir: Path | None) -> None:
    """Start the web page (chat, sources, uploads)."""
    import os

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home
    from bot.chain import Bot
    from bot.server import serve as run_server

    bot = Bot(make_settings(data_dir))
    bot.warm()
    click.echo(
        f"claimbot: {bot.corpus.articles} articles, {bot.mode_label}.\n"
        f"Open http://{host}:{port}/ (Ctrl-C to stop)",
    )
    run_server(bot, host, port)
