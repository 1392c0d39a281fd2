"""The source routes: an article with the cited passage highlighted, and its raw file.

Sources are looked up by an opaque document id from the index; no request text is ever
joined into a file path, and the article folders are not given to Gradio's file routes.
"""

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse, PlainTextResponse

from bot.chain import Bot
from index.article import DOCUMENTS, article_text, file_sha
from index.decode import decode_bytes
from index.errors import ArticleError
from index.metadata import UNKNOWN

_DOC_ID = re.compile(r"[0-9a-f]{16}")
_SECURITY_HEADERS = {
    # Article text is untrusted: nothing on a source page may run or load from elsewhere.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1f2328; }}
header {{ border-bottom: 1px solid #d0d7de; margin-bottom: 1rem; }}
dl {{ display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }}
dt {{ color: #57606a; }}
pre {{ white-space: pre-wrap; font-family: Georgia, serif; font-size: 1.05rem; line-height: 1.6; }}
mark {{ background: #fff3a3; outline: 2px solid #e3b341; scroll-margin-top: 30vh; }}
.warning {{ background: #fff8c5; border: 1px solid #d4a72c; padding: .5rem 1rem; }}
</style></head>
<body><header><h1>{title}</h1><dl>
<dt>Outlet</dt><dd id="outlet">{outlet}</dd><dt>Date</dt><dd id="date">{date}</dd>
{url}<dt>File</dt><dd id="file">{source} ·
<a href="/source/{doc_id}/raw">original file</a></dd>{copies}
</dl>{warning}</header>
<pre id="text">{body}</pre></body></html>"""
_UNAVAILABLE = (
    "<!doctype html><meta charset='utf-8'><title>Source unavailable</title>"
    "<h1>Source unavailable</h1><p>{reason}</p>"
)


def source_link(doc_id: str, start: int, end: int) -> str:
    """Where a citation points: the app's own source view, scrolled to the passage."""
    return f"/source/{doc_id}?start={start}&end={end}#cited"


def _lookup(bot: Bot, doc_id: str) -> dict[str, Any] | None:
    if not _DOC_ID.fullmatch(doc_id):
        return None
    return bot.store.document(doc_id)


def _read(meta: dict[str, Any]) -> bytes | None:
    path = Path(str(meta["path"]))
    # A symlink may point anywhere; only plain files that are still there are served.
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=_SECURITY_HEADERS)


def _unavailable(reason: str) -> Response:
    page = _UNAVAILABLE.format(reason=html.escape(reason))
    return HTMLResponse(page, status_code=404, headers=_SECURITY_HEADERS)


def render_source(meta: dict[str, Any], text: str, start: int, end: int, changed: bool) -> str:
    """The article's text with the cited span marked, escaped: article text is data."""
    if not (0 <= start <= end <= len(text)):
        start = end = 0
    body = (
        html.escape(text[:start])
        + f'<mark id="cited">{html.escape(text[start:end])}</mark>'
        + html.escape(text[end:])
    )
    warning = ""
    if changed:
        warning = (
            '<p class="warning">This file changed after it was indexed; the highlight may be '
            "off. Run <code>python -m bot ingest</code> again.</p>"
        )
    # File names only: where the server keeps them is nobody's business in the page.
    name = Path(str(meta["source"])).name
    title = meta["title"] if meta["title"] != UNKNOWN else name
    copies = sorted(Path(c).name for c in json.loads(str(meta.get("copies") or "{}")))
    url = ""
    if meta.get("url") and meta["url"] != UNKNOWN:  # shown as text: no link leaves the page
        url = '<dt>URL</dt><dd id="url">' + html.escape(str(meta["url"])) + "</dd>"
    also = ""
    if copies:  # other files with the same article text, indexed as this one document
        also = '<dt>Same text in</dt><dd id="copies">' + "<br>".join(map(html.escape, copies))
        also += "</dd>"
    return _PAGE.format(
        copies=also,
        lang=html.escape(str(meta["language"])),
        title=html.escape(str(title)),
        outlet=html.escape(str(meta["outlet"])),
        date=html.escape(str(meta["date"])),
        source=html.escape(name),
        url=url,
        doc_id=meta["doc_id"],
        warning=warning,
        body=body,
    )


def add_source_routes(app: FastAPI, bot: Bot) -> None:
    """`/source/{doc_id}` (the article, passage highlighted) and `/source/{doc_id}/raw`."""

    @app.get("/source/{doc_id}")
    def source(doc_id: str, start: int = 0, end: int = 0) -> Response:
        meta = _lookup(bot, doc_id)
        if meta is None:
            return _not_found()
        raw = _read(meta)
        if raw is None:
            return _unavailable("The file was moved or deleted after it was indexed.")
        try:
            text, _ = article_text(Path(str(meta["path"])), raw)
        except ArticleError as exc:
            return _unavailable(f"The file can no longer be read ({exc}).")
        page = render_source(meta, text, start, end, changed=file_sha(raw) != meta["sha"])
        return HTMLResponse(page, headers=_SECURITY_HEADERS)

    @app.get("/source/{doc_id}/raw")
    def raw(doc_id: str) -> Response:
        meta = _lookup(bot, doc_id)
        data = _read(meta) if meta else None
        if data is None or meta is None:
            return _not_found()
        kind = DOCUMENTS.get(Path(str(meta["source"])).suffix.lower())
        if kind:  # the original PDF or Word file, to save, never shown in the page
            name = Path(str(meta["source"])).name
            disposition = f"attachment; filename*=UTF-8''{quote(name)}"
            headers = {**_SECURITY_HEADERS, "Content-Disposition": disposition}
            return Response(data, media_type=kind, headers=headers)
        try:
            text = decode_bytes(data)
        except ArticleError:
            return _not_found()
        return PlainTextResponse(text, headers=_SECURITY_HEADERS)
