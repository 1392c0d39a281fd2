"""claimbot from code: a JSON API (`/api/...`) and the OpenAI chat wire (`/v1/...`).

Both run in the `serve` process beside the page, behind the same guard (logins or API keys,
bounded bodies) and with the same limits as the page. Handlers are plain functions FastAPI
runs in its thread pool, so callers do not wait behind the page's queue. Answers are the
objects `ask --json` prints, with file names in place of server paths.
"""

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.answer import Answer, Citation
from bot.chain import Bot
from bot.ledger import filter_ledger
from index.errors import ArticleError, ClaimbotError, IndexBusyError, QuestionError
from index.uploads import Details, ingest_uploads, upload_name

MODEL = "claimbot"


class Turn(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str


class AskRequest(BaseModel):
    question: str = Field(description="At most 2,000 characters.")
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first.")


class Retrieved(BaseModel):
    source: str
    start: int
    end: int
    score: float


class AnswerOut(BaseModel):
    """What `python -m bot ask --json` prints."""

    question: str
    mode: Literal["evidence", "llm"]
    found: bool
    answer: str
    citations: list[Citation] = Field(description="`source` is the file name.")
    retrieved: list[Retrieved]
    notice: str | None = None
    flags: list[str] = Field(default_factory=list)
    standalone: str | None = Field(None, description="How a follow-up was understood.")
    partial: str = ""


class AppearanceOut(BaseModel):
    source: str
    outlet: str
    date: str
    start: int
    end: int
    quote: str
    credited_to: str
    url: str = ""


class GlossOut(BaseModel):
    """An English gloss of a claim, made by the LLM at ingest: never the quote."""

    text: str
    model: str
    machine_translation: bool = True


class ClaimOut(BaseModel):
    """One tracked claim, as `python -m bot claims --json` prints it."""

    id: str
    speaker: str
    role: str
    text: str
    kind: str
    outlets: int
    disputed: bool
    flags: list[str]
    links: list[dict[str, str | bool]] = Field(description="Inferred links to other claims.")
    first_appearance: AppearanceOut
    appearances: list[AppearanceOut] = Field(description="One per article that reported it.")
    aliases: list[str] = Field(default=[], description="The speaker's other names.")
    language: str = Field(default="", description="The language the claim is quoted in.")
    gloss: GlossOut | None = None


class UploadReport(BaseModel):
    indexed: list[str]
    unchanged: list[str]
    duplicates: list[list[str]]
    skipped: list[list[str]]
    warnings: list[str]
    passages: int


class Document(BaseModel):
    id: str
    title: str
    outlet: str
    date: str
    url: str
    file: str


class ChatMessage(BaseModel):
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    model: str = MODEL
    messages: list[ChatMessage]
    stream: bool = False


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _public(answer: Answer) -> dict[str, Any]:
    """`ask --json`'s object, with file names where it has server paths."""
    data = answer.to_json()
    for item in [*data["citations"], *data["retrieved"]]:
        item["source"] = Path(str(item["source"])).name
    return data


def _failure(exc: ClaimbotError) -> ApiError:
    if isinstance(exc, QuestionError | ArticleError):
        return ApiError(400, str(exc))
    if isinstance(exc, IndexBusyError):
        return ApiError(409, "Another ingest is writing to the index; try again in a moment.")
    return ApiError(503, "The index cannot be read right now; /healthz says why.")


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return content or ""


def _question(messages: list[ChatMessage]) -> tuple[str, list[str]]:
    """The last user message, and the earlier user messages as follow-up context."""
    users = [_text(m.content) for m in messages if m.role == "user"]
    if not users:
        raise ApiError(400, "Send at least one message with role 'user'.")
    return users[-1], users[:-1]


async def _answer(bot: Bot, request: Request, question: str, history: list[str]) -> Answer:
    """`bot.ask`, a step at a time in the thread pool, given up as soon as the client has
    gone (a model's answer is not read to its end for nobody)."""
    steps = bot.stream(question, history)
    try:
        while True:
            try:
                item = await run_in_threadpool(next, steps)
            except StopIteration:
                raise ApiError(500, "The answer ended without a result.") from None
            if isinstance(item, Answer):
                return item
            if await request.is_disconnected():
                raise ApiError(499, "The client went away.")
    except ClaimbotError as exc:
        raise _failure(exc) from None
    finally:
        await run_in_threadpool(steps.close)  # type: ignore[attr-defined]


def add_api_routes(app: FastAPI, bot: Bot) -> None:
    """/api/ask, /api/claims, /api/documents, /v1/models and /v1/chat/completions."""

    @app.exception_handler(ApiError)
    def api_error(request: Request, exc: ApiError) -> JSONResponse:
        if request.url.path.startswith("/v1/"):
            kind = "invalid_request_error" if exc.status < 500 else "server_error"
            body = {"error": {"message": str(exc), "type": kind, "code": exc.status}}
            return JSONResponse(body, status_code=exc.status)
        return JSONResponse({"error": str(exc)}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """FastAPI's own refusals (a body that is not UTF-8 JSON, a route that is not there)
        in the API's error shape on its routes; elsewhere as FastAPI gives them."""
        if not request.url.path.startswith(("/api/", "/v1/")):
            return await http_exception_handler(request, exc)
        message = str(exc.detail)
        if exc.status_code == 400 and "parsing the body" in message:
            message = "Invalid request: the body is not JSON in UTF-8."
        return api_error(request, ApiError(exc.status_code, message))

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"Invalid request: {where or 'body'}: {first.get('msg', 'not valid JSON')}"
        return api_error(request, ApiError(400, message))

    @app.post("/api/ask", tags=["answers"], response_model=AnswerOut)
    async def ask(body: AskRequest, request: Request) -> dict[str, Any]:
        """The cited answer `python -m bot ask --json` prints, for a question and its history."""
        history = [t.content for t in body.history if t.role == "user"]
        return _public(await _answer(bot, request, body.question, history))

    @app.get("/api/claims", tags=["claims"], response_model=list[ClaimOut])
    def claims(
        speaker: str = "", outlet: str = "", disputed: bool = False, many: bool = False
    ) -> list[dict[str, Any]]:
        """The claim ledger as `claims --json` prints it, with the page's filters."""
        try:
            tracked = filter_ledger(bot.ledger, speaker, outlet, disputed, many)
        except ClaimbotError as exc:
            raise _failure(exc) from None
        rows = [t.to_json() for t in tracked]
        for row in rows:
            for a in [row["first_appearance"], *row["appearances"]]:
                a["source"] = Path(str(a["source"])).name
        return rows

    @app.get("/api/documents", tags=["documents"])
    def documents() -> list[Document]:
        """The indexed articles (never a server path)."""
        return [
            Document(
                id=doc_id,
                title=str(meta["title"]),
                outlet=str(meta["outlet"]),
                date=str(meta["date"]),
                url=str(meta.get("url") or ""),
                file=Path(str(meta["source"])).name,
            )
            for doc_id, meta in sorted(bot.store.documents().items())
        ]

    if not bot.settings.read_only:

        @app.post("/api/documents", tags=["documents"], response_model=UploadReport)
        def add_documents(
            request: Request,
            files: list[UploadFile] = File(...),  # noqa: B008
            outlet: str = Form(""),
            date: str = Form(""),
            url: str = Form(""),
        ) -> dict[str, Any]:
            """Add articles as the page's uploads do: same limits, names, sidecars."""
            import tempfile

            user = str(request.scope.get("claimbot.user", ""))
            try:  # a name that is no file's name is refused before anything is written
                names = [upload_name(u.filename or f"upload-{n}.txt") for n, u in enumerate(files)]
            except ArticleError as exc:
                raise ApiError(400, str(exc)) from None
            with tempfile.TemporaryDirectory() as folder:
                paths = []
                for n, (upload, name) in enumerate(zip(files, names, strict=True)):
                    path = Path(folder) / str(n) / name
                    path.parent.mkdir()
                    path.write_bytes(upload.file.read())
                    paths.append(path)
                try:
                    details = Details.checked(outlet, date, url)
                    report = ingest_uploads(
                        bot.settings, paths, bot.embedder, details=details, user=user
                    )
                except ClaimbotError as exc:
                    raise _failure(exc) from None
            bot.reload()
            return {
                "indexed": [Path(s).name for s in report.indexed],
                "unchanged": [Path(s).name for s in report.unchanged],
                "duplicates": [[Path(s).name, Path(d).name] for s, d in report.duplicates],
                "skipped": [[Path(s).name, reason] for s, reason in report.skipped],
                "warnings": [w.split(": ", 1)[-1] for w in report.warnings],
                "passages": report.chunks_written,
            }

    @app.get("/v1/models", tags=["openai"])
    def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": MODEL}]}

    @app.post("/v1/chat/completions", tags=["openai"], response_model=None)
    async def chat(body: ChatRequest, request: Request) -> dict[str, Any] | StreamingResponse:
        """OpenAI's chat wire: the cited answer as the assistant message; its citations in
        the response's `citations` field (and in the last chunk when streaming)."""
        question, history = _question(body.messages)
        completion = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if not body.stream:
            answer = await _answer(bot, request, question, history)
            public = _public(answer)
            return {
                "id": completion,
                "object": "chat.completion",
                "created": created,
                "model": MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer.answer},
                        "finish_reason": "stop",
                    }
                ],
                "citations": public["citations"],
                "claimbot": public,
            }
        try:  # checked before the stream starts: a bad question is a 400, not a broken stream
            question, history = bot.bounded(question, history)
        except ClaimbotError as exc:
            raise _failure(exc) from None
        return StreamingResponse(
            _chunks(bot, question, history, completion, created), media_type="text/event-stream"
        )


def _chunk(completion: str, created: int, delta: dict[str, Any], **extra: Any) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": extra.pop("finish_reason", None)}
    data = {
        "id": completion,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "choices": [choice],
        **extra,
    }
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _chunks(
    bot: Bot, question: str, history: list[str], completion: str, created: int
) -> Iterator[str]:
    """The answer as OpenAI chunks: the model's text as it comes (LLM mode) or the quotes
    (evidence mode), then a last chunk with the citations. Stops when the client leaves."""
    yield _chunk(completion, created, {"role": "assistant", "content": ""})
    sent = ""
    final: Answer | None = None
    try:
        for item in bot.stream(question, history):
            if isinstance(item, Answer):
                final = item
                break
            yield _chunk(completion, created, {"content": item[len(sent) :]})
            sent = item
    except ClaimbotError as exc:
        message = str(_failure(exc))
        yield _chunk(completion, created, {"content": f"\n\n{message}"}, finish_reason="stop")
        yield "data: [DONE]\n\n"
        return
    assert final is not None  # Bot.stream always ends with the Answer
    public = _public(final)
    if final.answer.startswith(sent):
        rest = final.answer[len(sent) :]
    else:  # checking changed what streamed: say so
        rest = "\n\n(Checked answer: " + final.answer + ")"
    yield _chunk(
        completion,
        created,
        {"content": rest},
        finish_reason="stop",
        citations=public["citations"],
        claimbot=public,
    )
    yield "data: [DONE]\n\n"
