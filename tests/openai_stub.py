"""A small OpenAI-compatible chat server for tests: real HTTP on loopback, scripted replies.

Each request to /v1/chat/completions takes the next script step:
  {"text": "..."}                 answer with this text (streamed when asked to)
  {"reply": fn}                   answer with fn(request_body): a model that does what the
                                  request's text tells it (e.g. obeys an injected passage)
  {"echo": "system"}              answer with the request's system message, verbatim
  {"status": 429}                 answer with this HTTP error
  {"status": 429, "retry_after": 1}
                                  the same, with a Retry-After header (seconds)
  {"status": 401, "echo_key": True}
                                  the error message repeats the API key it was sent, as some
                                  OpenAI-compatible servers do ("Incorrect API key: sk-...")
  {"hang": 5.0}                   wait this long before answering (a server that hangs)
  {"text": "...", "cut_after": 2} stream two pieces, then drop the connection
  {"text": "...", "stall_after": 2, "hang": 5.0}
                                  stream two pieces, then send nothing for `hang` seconds
  {"text": "...", "drip": 0.3}    stream one piece every 0.3 s, repeating the text, for
                                  `"seconds"` (default 30) or until the client goes away: a
                                  model that never stops
  {"keepalive": 0.3}              the same with SSE comments only, no content: a proxy keeping
                                  a stuck request alive
The last step repeats when the script runs out.
"""

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Step = dict[str, Any]


class OpenAIStub:
    def __init__(self, script: list[Step]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.stopped = threading.Event()
        self.client_left = threading.Event()  # a client hung up while we were still writing
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(body)
                stub.headers.append({k.lower(): v for k, v in self.headers.items()})
                step = stub.script.pop(0) if len(stub.script) > 1 else stub.script[0]
                self._answer(step, body)

            def handle(self) -> None:
                # The client giving up on a hanging or endless answer is what those steps test.
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    stub.client_left.set()

            def _answer(self, step: Step, body: dict[str, Any]) -> None:
                if "hang" in step and "stall_after" not in step:
                    stub.stopped.wait(step["hang"])
                if "status" in step:
                    message = "scripted error"
                    if step.get("echo_key"):
                        message = f"Incorrect API key provided: {self._key()}"
                    extra = (
                        {"Retry-After": str(step["retry_after"])} if "retry_after" in step else {}
                    )
                    self._send_json(step["status"], {"error": {"message": message}}, extra)
                elif "keepalive" in step:
                    self._start_stream()
                    self._drip([""], step["keepalive"], step.get("seconds", 30.0))
                elif body.get("stream"):
                    self._stream(step, _text(step, body))
                else:
                    self._send_json(200, _completion(_text(step, body)))

            def _key(self) -> str:
                return self.headers.get("Authorization", "").removeprefix("Bearer ")

            def _send_json(
                self, status: int, data: dict[str, Any], extra: dict[str, str] | None = None
            ) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _start_stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

            def _stream(self, step: Step, text: str) -> None:
                self._start_stream()
                words = text.split(" ")
                pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
                if "drip" in step:
                    self._drip(pieces, step["drip"], step.get("seconds", 30.0))
                    return
                for i, piece in enumerate(pieces):
                    if i == step.get("cut_after"):
                        self.close_connection = True  # drop mid-stream: no last chunk
                        return
                    if i == step.get("stall_after"):
                        stub.stopped.wait(step["hang"])
                    self._event(f"data: {json.dumps(_chunk(piece))}\n\n")
                self._event(f"data: {json.dumps(_chunk('', finish='stop'))}\n\n")
                self._event("data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def _drip(self, pieces: list[str], every: float, seconds: float) -> None:
                """One piece (or, for "", a keep-alive comment) every `every` s, then hang up."""
                end = time.monotonic() + seconds
                n = 0
                while time.monotonic() < end and not stub.stopped.wait(every):
                    piece = pieces[n % len(pieces)]
                    self._event(f"data: {json.dumps(_chunk(piece))}\n\n" if piece else ": ping\n\n")
                    n += 1
                self.close_connection = True

            def _event(self, text: str) -> None:
                raw = text.encode()
                self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "OpenAIStub":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()  # hanging, dripping and keep-alive steps end now
        self.server.shutdown()
        self.server.server_close()


def _text(step: Step, body: dict[str, Any]) -> str:
    """The scripted reply: fixed, computed from the request, or the request's own prompt."""
    if "reply" in step:
        reply: Callable[[dict[str, Any]], str] = step["reply"]
        return reply(body)
    if "echo" in step:
        return next(m["content"] for m in body["messages"] if m["role"] == step["echo"])
    return str(step["text"])


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 0,
        "model": "stub-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(piece: str, finish: str | None = None) -> dict[str, Any]:
    delta = {"role": "assistant", "content": piece} if piece else {}
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "stub-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
