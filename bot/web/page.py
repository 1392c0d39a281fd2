"""The web page: a Gradio chat whose citation markers link to the highlighted source.

The layout and its events, as named steps of `build_page` (with app.py, which mounts it,
the only module importing gradio). The chat's text is answers_view.py's, its turns chat.py's,
the Claims tab claims_view.py's; uploads.py adds articles.
"""

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr
from gradio.utils import get_upload_folder

from bot.chain import Bot
from bot.web.access import Sessions
from bot.web.chat import respond
from bot.web.claims_view import (
    ALL,
    claim_filters,
    render_claims,
    render_pictures,
    render_provenance,
)
from bot.web.uploads import add_articles
from index.errors import ClaimbotError
from index.ingest import ACCEPTED
from index.settings import Settings

log = logging.getLogger("claimbot")

EXAMPLES = [
    "What did Stoltenberg ask of Korea?",
    "Why can South Korea not send weapons to Ukraine directly?",
    "Apa kata Stoltenberg tentang mitra Indo-Pasifik?",
    "Who denied the accusations against North Korea, and what did they say?",
]
CSS = """
table.claims { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.claims th, table.claims td { border-bottom: 1px solid #d0d7de; padding: .4rem;
  vertical-align: top; text-align: left; }
"""


def status_line(bot: Bot) -> str:
    return f"**{bot.corpus.articles} articles indexed** · {bot.mode_label}"


class _Upload(NamedTuple):
    """The Add articles box's controls."""

    files: gr.File
    outlet: gr.Textbox
    date: gr.Textbox
    url: gr.Textbox
    button: gr.Button
    status: gr.Markdown


class _Claims(NamedTuple):
    """The Claims tab's filters (speaker, outlet, disputed, many) and what they redraw."""

    filters: list[Any]
    timeline: gr.Plot
    grid: gr.Plot
    table: gr.HTML


class _Redraw(NamedTuple):
    """Drawing the header and the Claims tab anew: the handler, its inputs and outputs."""

    fn: Callable[[str, str, bool, bool], tuple[Any, ...]]
    inputs: list[Any]
    outputs: list[Any]


def build_page(bot: Bot, sessions: Sessions | None = None) -> gr.Blocks:
    """The chat page; without uploads when the settings say read-only. `sessions` is shared
    with the app's guard, which turns away a session's extra questions before the queue."""
    settings = bot.settings
    sessions = sessions or Sessions()
    with gr.Blocks(title="claimbot", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("## claimbot — who said what, where it was reported")
        status = gr.Markdown(status_line(bot), elem_id="status")
        # The store generation this page shows: the one its table was built from, so the
        # first tick redraws the Claims tab only when a write came since. (Redrawn anyway,
        # a tick started before a filter change could land after it and undo it.)
        shown = gr.State(bot.generation)
        timer = gr.Timer(max(settings.refresh_seconds, 0.5))
        with gr.Tab("Chat", elem_id="chat-tab"):
            chatbot, question = _chat_box(settings)
            upload = None if settings.read_only else _upload_box(settings)
        with gr.Tab("Claims", elem_id="claims-tab") as claims_tab:
            claims = _claims_box(bot)
        speaker, outlet = claims.filters[:2]
        refreshed = [speaker, outlet, claims.table, status, claims.timeline, claims.grid]
        redraw = _Redraw(_claims_refresher(bot), claims.filters, refreshed)
        _ask_on_submit(bot, sessions, question, chatbot)
        _refresh_on_tick(bot, timer, shown, redraw)
        if upload is not None:
            _add_on_upload(bot, upload, status, redraw)
        _draw_on_filter(bot, claims_tab, claims)
    demo.queue(max_size=settings.queue_size, default_concurrency_limit=settings.web_workers)
    blocks: gr.Blocks = demo
    return blocks


def _chat_box(settings: Settings) -> tuple[gr.Chatbot, gr.Textbox]:
    """The chat, its question box and the example questions."""
    chatbot = gr.Chatbot(
        label="Chat",
        elem_id="chat",
        height=560,
        sanitize_html=True,
        feedback_options=None,
        placeholder="Ask about the articles. Every answer cites the exact passage.",
    )
    question = gr.Textbox(
        label="Question",
        placeholder="What did Stoltenberg ask of Korea?",
        elem_id="question",
        submit_btn="Ask",
        max_length=settings.max_question_chars,
    )
    gr.Examples(examples=EXAMPLES, inputs=question, label="Examples")
    return chatbot, question


def _upload_box(settings: Settings) -> _Upload:
    """The Add articles box under the chat (a read-only page has none)."""
    with gr.Accordion(
        "Add articles (.txt, .md, .html, .pdf, .docx, RSS/Atom feeds)",
        open=False,
        elem_id="add",
    ):
        files = gr.File(
            file_count="multiple",
            file_types=list(ACCEPTED),
            elem_id="upload",
            label=f"Files (at most {settings.max_file_mb:g} MB together)",
        )
        with gr.Row():
            outlet_box = gr.Textbox(label="Outlet (optional)", elem_id="upload-outlet")
            date_box = gr.Textbox(label="Date (optional, YYYY-MM-DD)", elem_id="upload-date")
            url_box = gr.Textbox(label="URL (optional)", elem_id="upload-url")
        add_button = gr.Button("Add to the index", elem_id="upload-add")
        upload_status = gr.Markdown(elem_id="upload-status")
    return _Upload(files, outlet_box, date_box, url_box, add_button, upload_status)


def _claims_box(bot: Bot) -> _Claims:
    """The Claims tab's filters, pictures and table, then the quote provenance box."""
    speakers, outlets = claim_filters(bot)
    with gr.Row():
        speaker = gr.Dropdown(speakers, value=ALL, label="Speaker", elem_id="speaker")
        outlet = gr.Dropdown(outlets, value=ALL, label="Outlet", elem_id="outlet")
        disputed = gr.Checkbox(label="Disputed only", elem_id="disputed-only")
        many = gr.Checkbox(label="Reported by more than one outlet", elem_id="many-only")
    # Drawn when the tab is opened (_draw_on_filter): the page and the table do not wait.
    timeline = gr.Plot(label="Timeline", show_label=False, elem_id="claims-timeline")
    grid = gr.Plot(label="Outlets", show_label=False, elem_id="claims-grid")
    claims = gr.HTML(render_claims(bot, ALL, ALL), elem_id="claims")
    _provenance_box(bot)
    return _Claims([speaker, outlet, disputed, many], timeline, grid, claims)


def _provenance_box(bot: Bot) -> None:
    """Where does a quote come from: a pasted quote traced through the ledger."""
    with gr.Accordion("Where does a quote come from?", open=False, elem_id="provenance"):
        pasted = gr.Textbox(
            label="A quote or paraphrase, English or Indonesian",
            elem_id="provenance-quote",
            submit_btn="Trace",
            max_length=bot.settings.max_question_chars,
        )
        traced = gr.HTML(elem_id="provenance-result")
    pasted.submit(
        lambda text: render_provenance(bot, text),
        pasted,
        traced,
        api_name="provenance",
        api_visibility="undocumented",  # the JSON twin is POST /api/provenance
    )


def _ask_on_submit(bot: Bot, sessions: Sessions, question: gr.Textbox, chatbot: gr.Chatbot) -> None:
    """A submitted question streams its answer into the chat; the guard learns the event."""

    def on_submit(
        text: str,
        history: list[dict[str, Any]],
        request: gr.Request,
    ) -> Iterator[Any]:
        yield from respond(bot, text, history, sessions, request.session_hash or "")

    submitted = question.submit(
        on_submit,
        [question, chatbot],
        [question, chatbot],
        api_name="ask",
        concurrency_limit=bot.settings.web_workers,
        concurrency_id="questions",
    )
    sessions.question_event = int(submitted["id"])


def _claims_refresher(bot: Bot) -> Callable[[str, str, bool, bool], tuple[Any, ...]]:
    """The filters' choices, the table, the header and the pictures, drawn anew."""

    def on_claims_refresh(
        who: str, where: str, only_disputed: bool, only_many: bool
    ) -> tuple[Any, ...]:
        speakers, outlets = claim_filters(bot)
        who = who if who in speakers else ALL
        where = where if where in outlets else ALL
        return (
            gr.Dropdown(choices=speakers, value=who),
            gr.Dropdown(choices=outlets, value=where),
            render_claims(bot, who, where, only_disputed, only_many),
            status_line(bot),
            *render_pictures(bot, who, where, only_disputed, only_many),
        )

    return on_claims_refresh


def _refresh_on_tick(bot: Bot, timer: gr.Timer, shown: gr.State, redraw: _Redraw) -> None:
    """Each tick of the timer redraws the header and the Claims tab if the store changed."""

    def on_tick(seen: str, *values: Any) -> tuple[Any, ...]:
        """Every refresh interval: when the store changed, the header and Claims tab."""
        try:
            bot.refresh()
        except ClaimbotError as exc:
            log.warning("refresh failed: %s", exc)
            return (gr.skip(),) * 7
        now = bot.generation
        if now == seen:
            return (gr.skip(),) * 7
        return (now, *redraw.fn(*values))

    timer.tick(
        on_tick,
        [shown, *redraw.inputs],
        [shown, *redraw.outputs],
        show_progress="hidden",
        api_visibility="undocumented",  # serves the page only
    )


def _add_on_upload(bot: Bot, upload: _Upload, status: gr.Markdown, redraw: _Redraw) -> None:
    """The Add button ingests the files; then the Claims tab is drawn anew."""

    def on_upload(
        items: list[Any] | None,
        outlet_text: str,
        date_text: str,
        url_text: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Any:
        details = (outlet_text, date_text, url_text)
        folder = Path(get_upload_folder())
        report = add_articles(bot, items, details, request.username or "", progress, folder)
        return report, status_line(bot), None  # the file list empties: its links name temp paths

    upload.button.click(
        on_upload,
        [upload.files, upload.outlet, upload.date, upload.url],
        [upload.status, status, upload.files],
        api_name="upload",
        concurrency_limit=1,
        concurrency_id="uploads",
    ).then(redraw.fn, redraw.inputs, redraw.outputs, api_visibility="undocumented")


def _draw_on_filter(bot: Bot, claims_tab: gr.Tab, claims: _Claims) -> None:
    """Opening the tab draws the pictures; each filter redraws the table and pictures."""

    def on_filter(who: str, where: str, only_disputed: bool, only_many: bool) -> str:
        return render_claims(bot, who, where, only_disputed, only_many)

    def on_pictures(who: str, where: str, only_disputed: bool, only_many: bool) -> Any:
        return render_pictures(bot, who, where, only_disputed, only_many)

    filters, pictures = claims.filters, [claims.timeline, claims.grid]
    claims_tab.select(on_pictures, filters, pictures, api_visibility="undocumented")
    for n, control in enumerate(filters):  # one documented claims endpoint, not four
        control.change(
            on_filter,
            filters,
            claims.table,
            api_name="claims" if n == 0 else None,
            api_visibility="public" if n == 0 else "undocumented",
        )
        # Apart from the table's event: the API's claims endpoint stays as it was, and
        # the table does not wait for the pictures.
        control.change(on_pictures, filters, pictures, api_visibility="undocumented")
