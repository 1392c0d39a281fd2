"""Command line: `python -m bot ingest|ask|claims|chat|serve`; errors: one line, exit 1."""

import functools
import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pydantic

from bot.answer import Answer
from index.errors import ClaimbotError, ConfigError, QuestionError
from index.settings import Settings

if TYPE_CHECKING:
    from bot.chain import Bot

DEFAULT_SEEDS = Path("seeds")


def with_settings(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --data-dir and --chroma-url; the command gets one `settings` built from them."""

    @click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Where the index lives (default .claimbot/, or CLAIMBOT_DATA_DIR).",
    )
    @click.option(
        "--chroma-url",
        default=None,
        metavar="URL",
        help="Use a Chroma server (http://HOST:PORT) instead of the local index "
        "(or CLAIMBOT_CHROMA_URL).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, data_dir: Path | None, chroma_url: str | None, **kwargs: Any) -> Any:
        return func(*args, settings=make_settings(data_dir, chroma_url), **kwargs)

    return wrapper


def make_settings(data_dir: Path | None, chroma_url: str | None = None) -> Settings:
    """Settings from the environment, with command-line overrides on top; a setting that
    is not valid is a ConfigError naming its variable."""
    overrides: dict[str, Any] = {"data_dir": data_dir, "chroma_url": chroma_url}
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "?"
        variable = name if name.isupper() else f"CLAIMBOT_{name.upper()}"
        raise ConfigError(
            f"The setting {variable} is not valid ({error['msg']}): correct it or unset it."
        ) from None


class ClaimbotGroup(click.Group):
    """Turns project errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimbotError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


class ProgressLog:
    """Ingest progress as plain lines on stderr with an ETA, at most one a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, source: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and done < total:
            return
        self.last = now
        eta = (now - self.started) / done * (total - done)
        click.echo(f"Indexing: {done}/{total} files, about {eta:.0f} s left", err=True)


@click.group(cls=ClaimbotGroup)
def main() -> None:
    """Ask questions of news articles; every answer cites the exact passage."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Drop the index and build it again.")
@with_settings
def ingest(paths: tuple[Path, ...], rebuild: bool, settings: Settings) -> None:
    """Index .txt, .md and .html files (folders recursively; default seeds/)."""
    from index.embed import make_embedder
    from index.ingest import ingest_paths

    targets = list(paths) or [DEFAULT_SEEDS]
    embedder = make_embedder(settings)
    if sys.stderr.isatty():
        with click.progressbar(length=1, label="Indexing", file=sys.stderr) as bar:

            def progress(source: str, done: int, total: int) -> None:
                bar.length = total
                bar.label = f"Indexing {Path(source).name[:30]:<30}"
                bar.update(1)

            report = ingest_paths(settings, targets, embedder, rebuild=rebuild, progress=progress)
    else:  # a log, not a terminal: one line a second
        report = ingest_paths(settings, targets, embedder, rebuild=rebuild, progress=ProgressLog())
    click.echo(
        f"{len(report.indexed)} file(s) indexed, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} skipped, {len(report.removed)} removed, "
        f"{len(report.duplicates)} duplicate(s); "
        f"{report.chunks_written} chunk(s) written in {report.seconds:.1f} s."
    )
    for source, reason in report.skipped:
        click.echo(f"  skipped {source}: {reason}")
    for source, document in report.duplicates:
        click.echo(f"  duplicate {source}: same text as {document}, recorded on that document")
    for source in report.removed:
        click.echo(f"  removed {source}: the file is gone")
    for warning in report.warnings:
        click.echo(f"  warning: {warning}")
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
@with_settings
def ask(question: str | None, as_json: bool, questions: Any, settings: Settings) -> None:
    """Answer QUESTION from the indexed articles, with citations."""
    from bot.chain import Bot

    if not question and not questions:
        raise click.UsageError("Give a QUESTION, or --questions FILE.jsonl.")
    bot = Bot(settings)
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
            try:
                answer = bot.ask(text)
            except QuestionError as exc:  # one bad question does not end the batch
                click.echo(json.dumps({"line": number, "error": str(exc)}))
                continue
            print_answer(answer, as_json=True)


@main.command()
@click.option("--speaker", default="", help="Only claims whose speaker contains this text.")
@click.option("--outlet", default="", help="Only claims reported by this outlet.")
@click.option("--json", "as_json", is_flag=True, help="Print the tracked claims as JSON.")
@click.option(
    "--export",
    "export",
    type=click.Choice(["jsonld", "csv"]),
    help="Export the ledger as schema.org Claim JSON-LD, or as CSV.",
)
@click.option(
    "--since",
    metavar="DATE",
    help="List what the writes since DATE (YYYY-MM-DD or ISO 8601, UTC) changed in the "
    "ledger instead: new claims, other outlets, differences, disputes.",
)
@with_settings
def claims(
    speaker: str,
    outlet: str,
    as_json: bool,
    export: str | None,
    since: str | None,
    settings: Settings,
) -> None:
    """List tracked claims: who said what, where it was reported, what differs."""
    import csv

    if since is not None:
        print_events(since, speaker, outlet, as_json, settings)
        return

    from bot.export import CSV_FIELDS, to_csv_rows, to_jsonld
    from bot.ledger import also_named, current_ledger, filter_ledger, reading_note
    from index.embed import make_embedder
    from index.names import language_name
    from index.store import Store

    # The ledger the write path saved: no retriever, no BM25, no model loaded.
    store = Store(settings, make_embedder(settings))
    ledger, _ = current_ledger(settings, store, store.generation())
    tracked = filter_ledger(ledger, speaker, outlet)
    if export == "jsonld":
        click.echo(json.dumps(to_jsonld(tracked), ensure_ascii=False, indent=2))
    elif export == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(to_csv_rows(tracked))
    elif as_json:
        click.echo(json.dumps([t.to_json() for t in tracked], ensure_ascii=False, indent=2))
    else:
        for t in tracked:
            status = f"{t.outlets} outlet(s)" + (", disputed (inferred)" if t.disputed else "")
            also = f" ({also_named(t)})" if t.aliases else ""
            click.echo(f"{t.id}  {t.speaker}{also} · {t.kind} · {status}\n  {t.text}")
            if note := reading_note(t):
                click.echo(f"  {note}")
            several = len(t.languages()) > 1  # joined across languages: say which is which
            for a in t.reports():
                credit = f" via {a.credited_to}" if a.credited_to else ""
                said_in = f" in {language_name(a.language)}" if several else ""
                click.echo(
                    f"    - {a.outlet}, {a.date}{said_in}{credit}: {a.source}:{a.start}-{a.end}"
                )
            for flag in t.flags:
                click.echo(f"    ! {flag}")
            for link in t.links:
                click.echo(f"    -> {link['kind']} {link['claim']} (inferred by the ledger)")
        if not tracked:
            click.echo("No tracked claims match.")


@main.command()
@click.argument("quote")
@click.option("--json", "as_json", is_flag=True, help="Print the provenance as JSON.")
@with_settings
def provenance(quote: str, as_json: bool, settings: Settings) -> None:
    """Where a quote or paraphrase (English or Indonesian) first appeared, who carried it,
    and how each version's words differ from the earliest; or that it is not in the archive."""
    from bot.ledger import LedgerIndex, current_ledger
    from bot.provenance import NOT_FOUND, marked, trace
    from index.embed import make_embedder
    from index.store import Store

    embedder = make_embedder(settings)
    store = Store(settings, embedder)
    index = LedgerIndex(*current_ledger(settings, store, store.generation()))
    found = trace(index, embedder, quote, settings.max_question_chars)
    if as_json:
        click.echo(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return
    if not found.found:
        click.echo(NOT_FOUND)
        return
    how = "word for word" if found.match == "verbatim" else "by meaning, names and numbers"
    first, *rest = found.versions
    click.echo(f"Matched {how}. Earliest: {first.outlet}, {first.date} ({first.speaker})")
    click.echo(f"  {first.quote}\n  {first.source}:{first.start}-{first.end}")
    for v in rest:
        changes = marked(v.changes) or "the same words"
        click.echo(f"  - {v.outlet}, {v.date}: {v.source}:{v.start}-{v.end}\n    {changes}")


def print_events(since: str, speaker: str, outlet: str, as_json: bool, settings: Settings) -> None:
    """The ledger's events since a date, oldest first (`claims --since`)."""
    from index.events import parse_since, read_events
    from index.names import name_forms
    from index.tracked import ledger_dir

    try:
        when = parse_since(since)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    wanted = name_forms(speaker) if speaker.strip() else {""}
    found = [
        e
        for e in read_events(ledger_dir(settings.data_dir), when)
        if any(w in form for w in wanted for form in name_forms(str(e["speaker"])))
        and outlet.lower().strip() in str(e["outlet"]).lower()
    ]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for e in found:
        click.echo(f"{e['at']}  {e['kind']}  {e['claim']}\n  {e['detail']}\n  {e['text']}")
    if not found:
        click.echo(f"No changes to the ledger since {since}.")


@main.command()
@click.argument("questions", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Print the fitted calibration; do not save it.")
@with_settings
def calibrate(questions: Path, dry_run: bool, settings: Settings) -> None:
    """Fit when to answer and when to refuse on your own labelled questions (one JSON object
    a line: {"question": ..., "source": the file that answers it, or null}) and save it
    with the index, for the embedding model the index was built with."""
    from bot.calibrate import calibrate_bot, read_labelled
    from bot.chain import Bot

    labelled = read_labelled(questions)
    bot = Bot(settings)
    calibration, rates = calibrate_bot(bot, labelled, str(questions))
    for line in rates:
        click.echo(line)
    if dry_run:
        click.echo(calibration.model_dump_json(indent=2))
        return
    bot.store.save_calibration(calibration)
    click.echo(f"Saved with the index for {calibration.embedder}; answers use it from now on.")


@main.command()
@with_settings
def chat(settings: Settings) -> None:
    """Ask questions at a prompt until an empty line or Ctrl-D."""
    from bot.chain import Bot

    bot = Bot(settings)
    click.echo(f"{bot.corpus.articles} article(s) indexed; mode: {bot.mode}. Empty line to quit.")
    history: list[str] = []  # follow-ups ("and Japan?") lean on these, as in the page
    while True:
        try:
            question = input("\nquestion> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = bot.ask(question, history)
        except QuestionError as exc:  # one bad line does not end the conversation
            click.echo(f"Error: {exc}", err=True)
            continue
        history.append(question)
        if answer.standalone:
            click.echo(f"(understood as: {answer.standalone})")
        print_answer(answer, as_json=False)


def _index_pending(bot: "Bot") -> None:
    """Index uploads kept before a stop but not indexed, then let the bot pick them up."""
    from index.uploads import index_pending

    try:
        pending = index_pending(bot.settings, bot.embedder)
    except ClaimbotError as exc:
        click.echo(f"claimbot: uploads kept before a stop are not indexed yet: {exc}", err=True)
        return
    if pending is not None and pending.indexed:
        click.echo(f"claimbot: indexed {len(pending.indexed)} upload(s) kept before a stop.")
        bot.refresh(force=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option(
    "--auth",
    "logins",
    multiple=True,
    metavar="USER:PASSWORD",
    help="Require this login for everything but /healthz (repeatable; or CLAIMBOT_AUTH, "
    "comma-separated).",
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    metavar="KEY",
    help="Accept 'Authorization: Bearer KEY' from code (repeatable; or CLAIMBOT_API_KEYS).",
)
@click.option(
    "--read-only",
    is_flag=True,
    default=None,
    help="No uploads: the page only answers (or CLAIMBOT_READ_ONLY=true).",
)
@with_settings
def serve(
    host: str,
    port: int,
    logins: tuple[str, ...],
    api_keys: tuple[str, ...],
    read_only: bool | None,
    settings: Settings,
) -> None:
    """Start the web page (chat, sources, uploads)."""
    import gc
    import os

    # Nearly all that a start makes lives as long as the process (modules, the ledger): the
    # collector would walk it over and over (0.3-0.4 s of a start). Off until warm, then
    # those objects are set aside for good (`gc.freeze`) and later collections skip them.
    gc.disable()

    from pydantic import SecretStr

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home
    # The language model unpacks outside Python's lock: beside the imports below.
    from index.metadata import load_language_model

    threading.Thread(target=load_language_model, args=(settings.data_dir,), daemon=True).start()
    update: dict[str, Any] = {}
    if logins:
        update["auth"] = SecretStr(",".join(logins))
    if api_keys:
        update["api_keys"] = SecretStr(",".join(api_keys))
    if read_only:
        update["read_only"] = True
    settings = settings.model_copy(update=update)
    from bot.web.access import check_exposure, parse_logins

    check_exposure(host, settings)  # logins and keys checked before anything is started
    from concurrent.futures import ThreadPoolExecutor

    from index.embed import make_embedder
    from index.store import open_loading

    # The stored vectors load outside Python's lock too: beside the read path's imports.
    embedder = make_embedder(settings)
    opening = ThreadPoolExecutor(1).submit(open_loading, settings, embedder)
    from bot.chain import Bot
    from bot.web.app import serve as run_server

    logins_by_user = parse_logins(settings)
    bot = Bot(settings, embedder, store=opening.result())
    bot.warm()
    gc.freeze()
    gc.enable()
    if not settings.read_only:  # beside the server, once warm: its scan grows with the store
        threading.Thread(target=_index_pending, args=(bot,), daemon=True).start()
    access = f"logins for {len(logins_by_user)} user(s)" if logins_by_user else "no login"
    uploads = "read-only" if settings.read_only else "uploads on"
    click.echo(
        f"claimbot: {bot.corpus.articles} articles, {bot.mode_label}; {access}, {uploads}.\n"
        f"Open http://{host}:{port}/ (Ctrl-C to stop)",
    )
    run_server(bot, host, port)
