"""A small OpenAI-compatible chat server for tests: real HTTP on loopback, scripted replies.

Each request to /v1/chat/completions takes the next script step:
  {"text": "..."}                 answer with this text (streamed when asked to)
  {"status": 429}                 answer with this HTTP error
  {"hang": 5.0}                   wait this long before answering (a server that hangs)
  {"text": "...", "cut_after": 2} stream two pieces, then drop the connection
The last step repeats when the script runs out.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class OpenAIStub:
    def __init__(self, script: list[dict[str, Any]]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
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
                if "hang" in step:
                    time.sleep(step["hang"])
                if "status" in step:
                    self._send_json(step["status"], {"error": {"message": "scripted error"}})
                elif body.get("stream"):
                    self._stream(step["text"], step.get("cut_after"))
                else:
                    self._send_json(200, _completion(step["text"]))

            def _send_json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, text: str, cut_after: int | None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = text.split(" ")
                pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
                for i, piece in enumerate(pieces):
                    if cut_after is not None and i == cut_after:
                        self.close_connection = True  # drop mid-stream: no last chunk
                        return
                    self._event(f"data: {json.dumps(_chunk(piece))}\n\n")
                self._event(f"data: {json.dumps(_chunk('', finish='stop'))}\n\n")
                self._event("data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

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
        self.server.shutdown()
        self.server.server_close()


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
