"""The web page: a Gradio chat whose citation markers link to the highlighted source."""

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from bot.answer import Answer
from bot.chain import Bot
from bot.ledger import filter_ledger
from bot.web.sources import source_link
from index.article import SUFFIXES
from index.errors import ClaimbotError
from index.metadata import UNKNOWN
from index.uploads import ingest_uploads

EXAMPLES = [
    "What did Stoltenberg ask of Korea?",
    "Why can South Korea not send weapons to Ukraine directly?",
    "Apa kata Stoltenberg tentang mitra Indo-Pasifik?",
    "Who denied the accusations, and what did they say?",
]
_MARKER = re.compile(r"\[(\d+)\]")
# `.` `:` `@` too: the page turns bare "https://", "www." and e-mail text into live links.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~^.:@])")
THINKING = "…"
CSS = """
table.claims { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.claims th, table.claims td { border-bottom: 1px solid #d0d7de; padding: .4rem;
  vertical-align: top; text-align: left; }
"""
ALL = "(all)"


def escape_markdown(text: str) -> str:
    """Text shown as-is: no markdown, image or link in an article or a model reply acts."""
    return _MARKDOWN.sub(r"\\\1", text)


def linked(text: str, answer: Answer) -> str:
    """Escape the text and turn each citation marker into a link to its passage."""
    by_n = {c.n: c for c in answer.citations}
    pieces: list[str] = []
    cursor = 0
    for match in _MARKER.finditer(text):
        citation = by_n.get(int(match.group(1)))
        if citation is None:
            continue
        pieces.append(escape_markdown(text[cursor : match.start()]))
        link = source_link(citation.doc_id, citation.start, citation.end)
        pieces.append(f"[\\[{citation.n}\\]]({link})")
        cursor = match.end()
    pieces.append(escape_markdown(text[cursor:]))
    return "".join(pieces)


def short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def render_answer(answer: Answer) -> str:
    """Markdown for one answer: notice, partial text, the answer, and its sources."""
    parts: list[str] = []
    if answer.notice:
        parts.append(f"**⚠ {escape_markdown(answer.notice)}**")
    if answer.partial:
        parts.append(f"*Incomplete answer, cut off:*\n\n> {escape_markdown(answer.partial)} …")
    if answer.standalone:
        parts.append(f"*Understood as:* {escape_markdown(answer.standalone)}")
    parts.append(linked(answer.answer, answer))
    if answer.citations:
        rows = []
        for c in answer.citations:
            outlet = c.outlet if c.outlet != UNKNOWN else Path(c.source).name
            date = f", {c.date}" if c.date != UNKNOWN else ""
            link = source_link(c.doc_id, c.start, c.end)
            badge = f" · *{c.role}*" if c.role else ""
            if c.claim_outlets > 1:
                badge += f" · reported by {c.claim_outlets} outlets"
            if c.claim_disputed:
                badge += " · **disputed**"
            rows.append(
                f"[\\[{c.n}\\]]({link}) **{escape_markdown(outlet)}**{date} — "
                f"“{escape_markdown(short(c.quote))}”{badge}"
            )
        parts.append("**Sources**\n\n" + "\n\n".join(rows))
    for flag in answer.flags:
        parts.append(f"*⚠ check: {escape_markdown(flag)}*")
    return "\n\n".join(parts)


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message, whichever shape Gradio gives its content."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def status_line(bot: Bot) -> str:
    return f"**{bot.corpus.articles} articles indexed** · {bot.mode_label}"


def respond(
    bot: Bot, question: str, history: list[dict[str, Any]]
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Stream one answer into the chat; failures become a message, never a lost chat."""
    question = question.strip()
    if not question:
        yield "", history
        return
    earlier = [message_text(m) for m in history if m.get("role") == "user"]
    history = [*history, {"role": "user", "content": question}]
    reply = {"role": "assistant", "content": THINKING}
    history.append(reply)
    yield "", history
    try:
        for item in bot.stream(question, earlier):
            if isinstance(item, Answer):
                reply["content"] = render_answer(item)
            else:
                reply["content"] = escape_markdown(item) + " ▌"
            yield "", history
    except ClaimbotError as exc:
        reply["content"] = f"**⚠ {escape_markdown(str(exc))}**"
        yield "", history


def add_articles(bot: Bot, files: list[Any] | None, progress: gr.Progress) -> tuple[str, str]:
    """Keep and ingest the uploads (as the CLI would), and make them searchable at once."""
    if not files:
        return "No files received.", status_line(bot)
    uploads = [Path(item if isinstance(item, str) else item.name) for item in files]

    def report_progress(source: str, done: int, total: int) -> None:
        progress((done, total), desc=f"Indexing {Path(source).name}")

    try:
        report = ingest_uploads(bot.settings, uploads, bot.embedder, progress=report_progress)
    except ClaimbotError as exc:
        return f"**⚠ {escape_markdown(str(exc))}**", status_line(bot)
    bot.reload()
    lines = [
        f"Indexed {len(report.indexed)} file(s), {report.chunks_written} passage(s); "
        f"{len(report.unchanged)} unchanged, {len(report.duplicates)} duplicate(s), "
        f"{len(report.skipped)} skipped."
    ]
    lines += [f"- ✓ {escape_markdown(Path(s).name)}" for s in report.indexed]
    lines += [
        f"- = {escape_markdown(Path(s).name)}: same text as {escape_markdown(Path(d).name)}, "
        "kept as one document"
        for s, d in report.duplicates
    ]
    lines += [
        f"- ✗ {escape_markdown(Path(s).name)}: {escape_markdown(r)}" for s, r in report.skipped
    ]
    return "\n".join(lines), status_line(bot)


def render_claims(bot: Bot, speaker: str, outlet: str) -> str:
    """The ledger as an HTML table; every value escaped, every appearance a source link."""
    tracked = filter_ledger(
        bot.ledger, "" if speaker == ALL else speaker, "" if outlet == ALL else outlet
    )
    if not tracked:
        return "<p>No tracked claims match.</p>"
    rows = []
    for t in sorted(tracked, key=lambda t: (-t.outlets, t.first_appearance.date)):
        appearances = "<br>".join(
            f'<a href="{html.escape(source_link(a.doc_id, a.start, a.end))}" target="_blank">'
            f"{html.escape(a.outlet)}, {html.escape(a.date)}</a>"
            + (f" <small>via {html.escape(a.credited_to)}</small>" if a.credited_to else "")
            for a in t.appearances
        )
        flags = "<br>".join(html.escape(f) for f in t.flags)
        if t.disputed:
            flags = "<b>disputed</b>" + ("<br>" + flags if flags else "")
        role = f"<br><small>{html.escape(t.role)}</small>" if t.role else ""
        rows.append(
            f"<tr><td>{html.escape(t.speaker)}{role}</td><td>{html.escape(t.text)}"
            f"<br><small>{html.escape(t.kind)}</small></td><td>{t.outlets}<br>{appearances}</td>"
            f"<td>{html.escape(t.first_appearance.date)}</td><td>{flags}</td></tr>"
        )
    head = (
        "<tr><th>Speaker</th><th>Claim</th><th>Outlets</th><th>First seen</th><th>Flags</th></tr>"
    )
    return f'<table class="claims">{head}{"".join(rows)}</table>'


def claim_filters(bot: Bot) -> tuple[list[str], list[str]]:
    speakers = sorted({t.speaker for t in bot.ledger})
    outlets = sorted({a.outlet for t in bot.ledger for a in t.appearances})
    return [ALL, *speakers], [ALL, *outlets]


def build_page(bot: Bot) -> gr.Blocks:
    """The chat page."""
    with gr.Blocks(title="claimbot", analytics_enabled=False) as demo:
        gr.Markdown("## claimbot — who said what, where it was reported")
        status = gr.Markdown(status_line(bot), elem_id="status")
        with gr.Tab("Chat", elem_id="chat-tab"):
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
            )
            gr.Examples(examples=EXAMPLES, inputs=question, label="Examples")
            with gr.Accordion("Add articles (.txt, .md, .html)", open=False, elem_id="add"):
                files = gr.File(
                    file_count="multiple",
                    file_types=list(SUFFIXES),
                    elem_id="upload",
                    label="Files",
                )
                upload_status = gr.Markdown(elem_id="upload-status")
        with gr.Tab("Claims", elem_id="claims-tab"):
            speakers, outlets = claim_filters(bot)
            with gr.Row():
                speaker = gr.Dropdown(speakers, value=ALL, label="Speaker", elem_id="speaker")
                outlet = gr.Dropdown(outlets, value=ALL, label="Outlet", elem_id="outlet")
            claims = gr.HTML(render_claims(bot, ALL, ALL), elem_id="claims")

        def on_submit(text: str, history: list[dict[str, Any]]) -> Iterator[Any]:
            yield from respond(bot, text, history)

        def on_upload(items: list[Any] | None, progress: gr.Progress = gr.Progress()) -> Any:  # noqa: B008
            return add_articles(bot, items, progress)

        def on_filter(who: str, where: str) -> str:
            return render_claims(bot, who, where)

        def on_claims_refresh() -> tuple[Any, Any, str]:
            speakers, outlets = claim_filters(bot)
            return (
                gr.Dropdown(choices=speakers, value=ALL),
                gr.Dropdown(choices=outlets, value=ALL),
                render_claims(bot, ALL, ALL),
            )

        question.submit(on_submit, [question, chatbot], [question, chatbot])
        files.upload(on_upload, files, [upload_status, status]).then(
            on_claims_refresh, None, [speaker, outlet, claims]
        )
        speaker.change(on_filter, [speaker, outlet], claims)
        outlet.change(on_filter, [speaker, outlet], claims)
    blocks: gr.Blocks = demo
    return blocks
