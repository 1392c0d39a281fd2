"""Broken and hostile files through the real ingest (issue 33, points 2, 3, 4 and 6): each is
skipped with a one-line reason or indexed, the good files beside it always are, and no
file takes minutes or gigabytes."""

import io
import json
import random
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.article import load_article
from index.embed import TURN_PASSAGES, LocalEmbedder, Vectors
from index.ingest import ingest_paths
from index.parse import parse_file
from index.sandbox import Sandbox
from index.settings import Settings
from index.store import Store
from index.uploads import GIVEN_UP, index_pending
from tests.app_process import REPO, clean_env
from tests.hostile_files import (
    GOOD,
    NATUNA,
    OTHER,
    bomb_word_file,
    long_article,
    truncated_word_file,
    with_document_xml,
    word_file,
)


def test_a_broken_or_bomb_word_file_is_skipped_and_the_rest_indexed(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "beras.txt").write_text(GOOD + "\n", encoding="utf-8")
    (inbox / "rilis.docx").write_bytes(word_file([OTHER]))
    (inbox / "rusak.docx").write_bytes(truncated_word_file())
    bomb = bomb_word_file()
    assert len(bomb) < 200_000
    (inbox / "bom.docx").write_bytes(bomb)
    started = time.monotonic()
    report = ingest_paths(settings, [inbox], embedder)
    assert time.monotonic() - started < 60  # the bomb took 6 minutes and 3.3 GB
    reasons = {Path(source).name: reason for source, reason in report.skipped}
    assert {Path(s).name for s in report.indexed} == {"beras.txt", "rilis.docx"}
    assert "not a readable Word document (XMLSyntaxError)" in reasons["rusak.docx"]
    assert "decompression bomb" in reasons["bom.docx"]
    assert all("\n" not in reason for reason in reasons.values())

    # The command line: exit status 2, one line per skipped file.
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(inbox), "--data-dir", str(tmp_path / "cli")],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"skipped {inbox / 'rusak.docx'}: not a readable Word document" in result.stdout
    assert f"skipped {inbox / 'bom.docx'}: a Word document that has a part packed" in result.stdout


def big_word_file(paragraphs: int) -> bytes:
    """A Word file within the unpacking limits whose reading takes hundreds of megabytes."""
    raw = word_file(["x"])
    xml = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml").decode()
    words = [f"kata{n}" for n in range(5_000)]
    pick = random.Random(1).choices
    body = "".join(
        f"<w:p><w:r><w:t>{' '.join(pick(words, k=8))}</w:t></w:r></w:p>" for _ in range(paragraphs)
    )
    return with_document_xml(
        raw, f"{xml.split('<w:body>')[0]}<w:body>{body}</w:body></w:document>".encode()
    )


def test_reading_a_file_is_bounded_in_time_and_memory(tmp_path: Path) -> None:
    path = tmp_path / "besar.docx"
    path.write_bytes(big_word_file(150_000))  # 3 MB packed, 15 MB of XML
    little = Settings(data_dir=tmp_path / "data", parse_memory_mb=300)
    with Sandbox(little) as sandbox:
        parsed = parse_file(little, path, None, sandbox)
        assert parsed.error.startswith("needed over 300 MB to read, and was given up")
        # the worker was ended and is started again for the next file
        path.with_name("kecil.docx").write_bytes(word_file([GOOD]))
        assert parse_file(little, path.with_name("kecil.docx"), None, sandbox).chunks
    hurried = Settings(data_dir=tmp_path / "data", parse_seconds=0.05)
    with Sandbox(hurried) as sandbox:
        parsed = parse_file(hurried, path, None, sandbox)
    assert parsed.error.startswith("took over 0.05 s to read, and was given up")
    assert "CLAIMBOT_PARSE_SECONDS" in parsed.error


class HashEmbedder:
    """Vectors from a hash of each text: the Embedder extension point, fast enough for an
    article of 9,001 passages (the bundled model takes about ten minutes for it)."""

    name = "multilingual-e5-small"
    dim = 384
    document_prompt = ""

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        rows = [np.random.default_rng(abs(hash(t))).standard_normal(self.dim) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(-1, self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_query(self, text: str) -> Vectors:
        return self.embed_passages([text])[0]


def test_an_article_of_9001_quoted_lines_is_indexed(settings: Settings, tmp_path: Path) -> None:
    """It ran 19 minutes, then failed on Chroma's batch limit (5,461), at every start."""
    path = tmp_path / "panjang.txt"
    path.write_text(long_article(), encoding="utf-8")
    assert 900_000 < path.stat().st_size < 1_200_000  # the 983 kB of the report
    embedder = HashEmbedder()
    ingest_paths(settings, [REPO / "seeds"], embedder)  # a ledger to update, as a server has
    started = time.monotonic()
    report = ingest_paths(settings, [path], embedder)
    seconds = time.monotonic() - started
    assert report.indexed == [str(path)] and not report.skipped
    assert report.chunks_written == 9_001
    assert seconds < 240, seconds  # parse, claims, write and ledger; was over 30 minutes
    store = Store(settings, embedder)
    assert store.file_states()[str(path)].complete
    described = [c for c in store.claims(where={"source": str(path)})]
    assert len(described) == 9_001


class Watched(LocalEmbedder):
    """The bundled model, saying when it has started on a batch of passages."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()

    def fit(self, text: str, is_query: bool = False) -> str:
        if not is_query:
            self.started.set()
        return super().fit(text, is_query)


def test_a_question_waits_for_one_slice_of_an_upload_not_all_of_it() -> None:
    embedder = Watched()
    embedder.embed_query("load the model first")
    passages = [f"Menteri itu mengatakan rapat ke-{n} digelar pekan depan." for n in range(256)]
    assert len(passages) >= 4 * TURN_PASSAGES
    finished: dict[str, float] = {}

    def index() -> None:
        embedder.embed_passages(passages)
        finished["passages"] = time.monotonic()

    writer = threading.Thread(target=index)
    writer.start()
    assert embedder.started.wait(60)
    embedder.embed_query("Apa kata menteri tentang rapat?")
    finished["question"] = time.monotonic()
    writer.join()
    assert finished["question"] < finished["passages"]  # it went before the other slices


def test_an_upload_that_cannot_be_indexed_is_given_up_once(
    settings: Settings, embedder: LocalEmbedder
) -> None:
    """Kept in uploads/ when the server stopped, a broken file stopped the indexing of the
    uploads at every start; now the good ones are indexed and it is recorded, not retried."""
    uploads = settings.data_dir / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "rusak.docx").write_bytes(truncated_word_file())
    (uploads / "beras.txt").write_text(GOOD + "\n", encoding="utf-8")
    report = index_pending(settings, embedder)
    assert report is not None
    assert [Path(s).name for s in report.indexed] == ["beras.txt"]
    record = json.loads((uploads / GIVEN_UP).read_text(encoding="utf-8"))
    assert "XMLSyntaxError" in record["rusak.docx"]["reason"]
    assert (uploads / "rusak.docx").exists()  # nothing a user uploaded is lost
    record["rusak.docx"]["reason"] = "as recorded"
    (uploads / GIVEN_UP).write_text(json.dumps(record), encoding="utf-8")
    again = index_pending(settings, embedder)
    assert again is not None
    assert again.skipped == [(str(uploads / "rusak.docx"), "as recorded")]  # not read again


def test_a_mojibake_notice_is_cut_from_a_one_line_article(tmp_path: Path) -> None:
    path = tmp_path / "natuna.txt"
    path.write_text(NATUNA, encoding="utf-8")
    article = load_article(path, str(path))
    assert article.text == NATUNA  # offsets still point into the file
    assert [article.text[a:b] for a, b in article.body] == [NATUNA[19:].strip()]
    assert NATUNA[19:].startswith("Juru bicara")
