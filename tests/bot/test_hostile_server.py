"""What a visitor, a logged-in user or a bad file can try against the real server (issue 33):
`python -m bot serve` in a subprocess on a copy of the seeded index, driven over HTTP."""

import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from index.settings import Settings
from index.uploads import GIVEN_UP
from tests.app_process import running_app
from tests.bot.test_team import article, client, upload
from tests.hostile_files import GOOD, OTHER, bomb_word_file, truncated_word_file
from tests.load_client import copy_index, reply_text


@dataclass
class Served:
    url: str
    data_dir: Path


KEY = "sk-claimbot-test-key-0001"
BEARER = {"Authorization": f"Bearer {KEY}"}
SECRET = "PENANDA_RAHASIA Menteri itu mengatakan bahwa kata sandi server adalah hunter2."


@pytest.fixture
def data_dir(seeded: Settings, tmp_path: Path) -> Path:
    return copy_index(seeded.data_dir, tmp_path / "data")


@pytest.fixture(scope="module")
def served(seeded: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One app with uploads on and no login, shared by the tests that only ask or add."""
    data = copy_index(seeded.data_dir, tmp_path_factory.mktemp("served") / "data")
    with running_app(data) as url:
        yield Served(url, data)


def event_id(url: str, name: str, headers: dict[str, str] | None = None) -> int:
    config = httpx.get(f"{url}/config", headers=headers, timeout=30).json()
    return int(next(d["id"] for d in config["dependencies"] if d.get("api_name") == name))


def test_a_caller_can_add_only_the_files_it_uploaded(data_dir: Path, tmp_path: Path) -> None:
    """Point 1: the upload event took a FileData naming any server path, copied the file
    in, indexed and served it, then deleted it."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    good = article(tmp_path / "mine", "beras.txt", GOOD)
    # kept in uploads/ before a stop: a broken file beside a good one (point 2)
    uploads = data_dir / "uploads"
    uploads.mkdir()
    (uploads / "rusak.docx").write_bytes(truncated_word_file())
    (uploads / "kereta.txt").write_text(OTHER + "\n", encoding="utf-8")
    env = {"CLAIMBOT_AUTH": "ana:s3cret-ana", "CLAIMBOT_API_KEYS": KEY}
    with running_app(data_dir, **env) as url:
        file: dict[str, Any] = {"path": str(secret), "meta": {"_type": "gradio.FileData"}}
        named: list[httpx.Response] = []
        for shape in (file, {"path": str(secret)}, {"path": str(secret) + "/../secret.txt"}):
            body = {"data": [[shape], "", "", ""]}
            named.append(httpx.post(f"{url}/gradio_api/call/upload", json=body, headers=BEARER))
        join = {
            "data": [[file], "", "", ""],
            "fn_index": event_id(url, "upload", BEARER),
            "session_hash": uuid.uuid4().hex,
        }
        named.append(httpx.post(f"{url}/gradio_api/queue/join", json=join, headers=BEARER))
        mine = upload(url, [good], headers=BEARER)  # what this caller uploaded goes in
        documents = httpx.get(f"{url}/api/documents", headers=BEARER).json()
        asked = httpx.post(
            f"{url}/api/ask", json={"question": "What is the server password?"}, headers=BEARER
        ).json()
        deadline = time.monotonic() + 60  # the pending uploads, beside the running server
        while len(documents) < 5:
            assert time.monotonic() < deadline, documents
            time.sleep(0.2)
            documents = httpx.get(f"{url}/api/documents", headers=BEARER).json()
    for response in named:
        assert response.status_code == 403, response.text
        assert "Only files uploaded to this page can be added: 'secret.txt'" in response.text
    assert "Indexed 1 file(s)" in mine
    files = {d["file"] for d in documents}
    assert files == {*files_of_seeds(), "beras.txt", "kereta.txt"}
    assert "hunter2" not in json.dumps(asked)
    assert secret.read_text(encoding="utf-8") == SECRET + "\n"  # never deleted
    record = json.loads((uploads / GIVEN_UP).read_text(encoding="utf-8"))
    assert "XMLSyntaxError" in record["rusak.docx"]["reason"]


def files_of_seeds() -> set[str]:
    return {p.name for p in (Path(__file__).resolve().parents[2] / "seeds").glob("*.txt")}


def test_a_read_only_page_takes_and_serves_no_file(data_dir: Path, tmp_path: Path) -> None:
    """Point 5: `serve --read-only` without logins stored any file posted to Gradio's upload
    route and served it back from `/gradio_api/file=`."""
    with running_app(data_dir, CLAIMBOT_READ_ONLY="true") as url:
        files = {"files": ("a.txt", b"Menteri mengatakan rapat ditunda.", "text/plain")}
        posted = httpx.post(f"{url}/gradio_api/upload", files=files, timeout=30)
        served = httpx.get(f"{url}/gradio_api/file={tmp_path}/a.txt", timeout=30)
        page = httpx.get(f"{url}/", timeout=30)
        answer = client(url).predict("What did Stoltenberg ask of Korea?", [], api_name="/ask")
    assert posted.status_code == 403 and "read-only" in posted.text
    assert served.status_code == 403
    assert page.status_code == 200
    assert "/source/" in reply_text(answer[1][-1])


def multipart(name: str, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body with one file under exactly this name (even one holding NUL)."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode("utf-8", "surrogateescape")
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_bad_names_bodies_and_files_get_reasons_and_leave_nothing(served: Served) -> None:
    """Points 2, 3 and 6 through the JSON API: reasons (400 or a skip), never a 500, and a
    rejected file is not kept in uploads/."""
    text = b"Jakarta - Menteri itu mengatakan bahwa rapat ditunda hingga pekan depan.\n"
    url, data_dir = served.url, served.data_dir
    names = {}
    for name in ("..", ".", "rapat\x00.txt", "r" * 300 + ".txt"):
        body, headers = multipart(name, text)
        names[name] = httpx.post(f"{url}/api/documents", content=body, headers=headers)
    broken_json = httpx.post(
        f"{url}/api/ask",
        content=b'{"question": "What did \xff\xfe ask?"}',
        headers={"Content-Type": "application/json"},
    )
    hostile = [
        ("kosong.txt", b""),
        ("program.exe", b"MZ\x90\x00" + bytes(200)),
        ("arsip.zip", b"PK\x03\x04" + bytes(200)),
        ("palsu.pdf", b"%PDF-1.4 this is no PDF at all"),
        ("rusak.docx", truncated_word_file()),
        ("bom.docx", bomb_word_file()),
        ("beras.txt", (GOOD + "\n").encode()),
    ]
    files = [("files", (name, data, "application/octet-stream")) for name, data in hostile]
    added = httpx.post(f"{url}/api/documents", files=files, timeout=120)
    for name, response in names.items():
        assert response.status_code == 400, (name, response.text)
        assert "name" in response.json()["error"], response.text
    assert broken_json.status_code == 400
    assert set(broken_json.json()) == {"error"}  # the API's shape, not FastAPI's {"detail"}
    assert added.status_code == 200, added.text
    report = added.json()
    assert report["indexed"] == ["beras.txt"]
    reasons = dict(report["skipped"])
    assert set(reasons) == {name for name, _ in hostile} - {"beras.txt"}
    assert "XMLSyntaxError" in reasons["rusak.docx"] and "bomb" in reasons["bom.docx"]
    assert all(reason and "\n" not in reason for reason in reasons.values())
    kept = sorted(p.name for p in (data_dir / "uploads").iterdir())
    assert kept == ["beras.json", "beras.txt"]  # no rejected file, no sidecar of one


def test_one_session_gets_429_for_questions_past_its_one(served: Served) -> None:
    """Point 6: 30 queue joins from one session were all taken."""
    url = served.url
    chat = event_id(url, "ask")
    session = uuid.uuid4().hex

    def join(n: int) -> int:
        body = {
            "data": [f"What did Stoltenberg ask of Korea? ({n})", []],
            "fn_index": str(chat) if n % 2 else chat,  # Gradio reads "3" as 3 too
            "session_hash": session,
        }
        return httpx.post(f"{url}/gradio_api/queue/join", json=body, timeout=30).status_code

    with ThreadPoolExecutor(30) as pool:  # as a script sends them: all at once
        statuses = list(pool.map(join, range(30)))
    assert statuses.count(200) >= 1
    assert statuses.count(429) >= 25, statuses


def test_a_markdown_image_in_a_question_is_shown_not_fetched(served: Served) -> None:
    """Point 6: `![x](http://host/track.png)` in a question made every browser showing the
    chat fetch that URL. The question is shown escaped, and the page allows no outside image."""
    question = "![x](http://tracker.example/track.png) What did Stoltenberg ask of Korea?"
    url = served.url
    page = httpx.get(f"{url}/", timeout=30)
    _, history = client(url).predict(question, [], api_name="/ask")
    shown = reply_text(history[0])
    assert "![x](" not in shown and "\\!\\[x\\]\\(http\\:" in shown
    assert "img-src 'self' data: blob:" in page.headers["content-security-policy"]
    assert "/source/" in reply_text(history[-1])
