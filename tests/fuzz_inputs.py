"""Random and mutated files for every reader, as Hypothesis strategies (issue 33), and how
ingest reads one: shared by tests/index/test_fuzz.py and bench/fuzz.py."""

import io
import json
import zipfile
from pathlib import Path

from hypothesis import strategies as st

from index.errors import ArticleError
from index.feeds import expand_feed
from index.parse import parse_file
from index.sandbox import Sandbox
from index.settings import Settings
from tests.hostile_files import GOOD, OTHER, word_file
from tests.index.test_documents import make_pdf

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kantor Berita</title><link>https://berita.example/</link>
<item><title>Cadangan beras</title><link>https://berita.example/1</link>
<pubDate>Mon, 06 May 2024 08:00:00 +0700</pubDate><description>{GOOD}</description></item>
<item><title>Kereta cepat</title><link>https://berita.example/2</link>
<description><![CDATA[<p>{OTHER}</p>]]></description></item></channel></rss>"""
HTML = f"""<html><head><title>Beras</title><meta property="og:site_name" content="Berita">
</head><body><nav>Beranda</nav><article><h1>Cadangan beras</h1><p>{GOOD}</p>
<p>{OTHER}</p></article><footer>Hak cipta</footer></body></html>"""
SAMPLES = {
    ".txt": (GOOD + "\n\n" + OTHER + "\n").encode(),
    ".md": f"# Cadangan beras\n\n{GOOD}\n\n- {OTHER}\n".encode(),
    ".html": HTML.encode(),
    ".pdf": make_pdf([GOOD[:70], GOOD[70:], OTHER]),
    ".docx": word_file([GOOD, OTHER]),
    ".rss": RSS.encode(),
    ".json": json.dumps(
        {"outlet": "Antara", "date": "2024-05-06", "url": "https://a.id/1"}
    ).encode(),
}
FORMATS = tuple(SAMPLES)


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    """`sample` with a few random edits: bytes changed, cut, inserted, a slice repeated."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(2, 50))
        else:
            data = data[:at]
    return bytes(data)


@st.composite
def mutated_word_xml(draw: st.DrawFn) -> bytes:
    """A Word file whose document.xml (not its zip) was edited at random."""
    raw = SAMPLES[".docx"]
    xml = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml")
    edited = draw(mutated(xml))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = edited if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def inputs(suffix: str) -> st.SearchStrategy[bytes]:
    """Random bytes, or the format's sample mutated (for Word also inside its XML)."""
    found = st.one_of(st.binary(max_size=4096), mutated(SAMPLES[suffix]))
    return st.one_of(found, mutated_word_xml()) if suffix == ".docx" else found


def read_as_ingest(
    folder: Path, suffix: str, data: bytes, settings: Settings, sandbox: Sandbox | None = None
) -> list[str]:
    """Read one file as ingest does (a feed's items too; a sidecar beside a good article):
    the reasons it was skipped for, [] when it parsed. Anything else raised is a bug."""
    path = folder / f"fuzz{suffix}"
    if suffix == ".json":  # a sidecar: the article beside it is good
        path = folder / "fuzz.txt"
        path.write_bytes(SAMPLES[".txt"])
        path.with_suffix(".json").write_bytes(data)
    else:
        path.write_bytes(data)
    files = [path]
    if suffix == ".rss":
        try:
            files = expand_feed(settings, path, sandbox)
        except ArticleError as exc:
            return [str(exc)]
    reasons = []
    for item in files:
        parsed = parse_file(settings, item, None, sandbox)
        if parsed.error:
            reasons.append(parsed.error)
        else:
            assert parsed.article is not None and parsed.chunks
    return reasons
