"""The source route over real HTTP against the real app: views, traversal, vanished files."""

import http.client
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store
from tests.app_process import running_app

REPO = Path(__file__).resolve().parents[2]
SECRET = "TOP-SECRET-OUTSIDE-THE-CORPUS"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder: LocalEmbedder) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("web")
    corpus = root / "articles"
    shutil.copytree(REPO / "seeds", corpus)
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    settings = Settings(data_dir=root / "data")
    ingest_paths(settings, [corpus], embedder)
    docs = {c.meta["source"]: c.meta["doc_id"] for c in Store(settings, embedder).chunks()}
    with running_app(settings.data_dir) as url:
        yield {"url": url, "docs": docs, "corpus": corpus, "root": root}


def get(url: str, raw_path: str) -> tuple[int, str, dict[str, str]]:
    """Send the path exactly as written: no client-side normalisation of `..` or `%2e`."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("GET", raw_path, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, body, headers


def doc_id(app: dict, name: str) -> str:
    return str(app["docs"][str(app["corpus"] / name)])


def test_source_view_highlights_the_cited_span(app: dict) -> None:
    status, body, headers = get(
        app["url"], f"/source/{doc_id(app, '001_7c76dbf8ebe446d4.txt')}?start=576&end=747"
    )
    assert status == 200
    assert '<mark id="cited">Kepala NATO tersebut menyarankan agar Korsel' in body
    assert "kumparan" in body and "2023-01-30" in body
    assert "Sekjen NATO Minta Korsel Kirim Bantuan Militer ke Ukraina" in body
    assert "default-src 'none'" in headers["content-security-policy"]


def test_raw_file_is_plain_text(app: dict) -> None:
    status, body, headers = get(
        app["url"], f"/source/{doc_id(app, '000_5aa4ec63266beb67.txt')}/raw"
    )
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert body == (REPO / "seeds" / "000_5aa4ec63266beb67.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/source/../secret.txt",
        "/source/..%2fsecret.txt",
        "/source/%2e%2e/secret.txt",
        "/source/%2e%2e%2fsecret.txt",
        "/source/%252e%252e%252fsecret.txt",
        "/source/..%5csecret.txt",
        "/source/..\\secret.txt",
        "/source/%2Fetc%2Fpasswd",
        "/source//etc/passwd",
        "/source/0123456789abcdef",
        "/source/0123456789abcdef%00",
        "/source/0123456789abcdef/raw",
        "/source/%00",
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file={root}/secret.txt",
        "/gradio_api/file={corpus}/000_5aa4ec63266beb67.txt",
        "/file={corpus}/000_5aa4ec63266beb67.txt",
    ],
)
def test_traversal_attempts_get_nothing(app: dict, path: str) -> None:
    path = path.format(root=app["root"], corpus=app["corpus"])
    status, body, _ = get(app["url"], path)
    assert status in (400, 403, 404), (status, body[:200])
    assert SECRET not in body and "root:x:0:0" not in body and "Stoltenberg" not in body


def test_deleted_source_is_unavailable(app: dict) -> None:
    target = app["corpus"] / "004_245cae90d7e48221.txt"
    ident = doc_id(app, target.name)
    target.unlink()
    status, body, _ = get(app["url"], f"/source/{ident}?start=0&end=10")
    assert status == 404 and "Source unavailable" in body


def test_symlink_out_of_the_corpus_is_not_followed(app: dict) -> None:
    target = app["corpus"] / "000_5aa4ec63266beb67.txt"
    ident = doc_id(app, target.name)
    target.unlink()
    target.symlink_to(app["root"] / "secret.txt")
    for path in (f"/source/{ident}", f"/source/{ident}/raw"):
        status, body, _ = get(app["url"], path)
        assert status == 404 and SECRET not in body
