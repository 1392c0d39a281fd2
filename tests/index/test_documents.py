"""PDF and Word files through the real ingest, the real answer path and the source route."""

import io
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter

from bot.chain import Bot
from bot.web.app import build_app
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings

# A press release as a PDF lays it out: lines wrapped inside sentences.
PDF_LINES = [
    "SIARAN PERS",
    "Jakarta - Kementerian Kelautan dan Perikanan menyatakan bahwa ekspor benih",
    "lobster ke Vietnam dihentikan mulai 1 Juli 2024.",
    "Menteri Sakti Wahyu Trenggono mengatakan bahwa larangan itu melindungi",
    "nelayan kecil di Nusa Tenggara Barat.",
]


def make_pdf(lines: list[str], title: str = "Siaran pers KKP") -> bytes:
    """A real one-page PDF with a text layer (Helvetica), written object by object."""
    text = "BT /F1 11 Tf 72 760 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*"
        for line in lines
    )
    text += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        f"<< /Title ({title}) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_docx(paragraphs: list[str], title: str) -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "siaran.pdf").write_bytes(make_pdf(PDF_LINES))
    (inbox / "rilis.docx").write_bytes(
        make_docx(
            [
                "Bandung - Gubernur Jawa Barat mengatakan bahwa kereta cepat akan berhenti "
                "di Stasiun Padalarang mulai Oktober.",
                "Ia menambahkan bahwa tiket terusan ke Bandung dijual seharga Rp 50.000.",
            ],
            title="Rilis Pemprov Jabar",
        )
    )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf(PDF_LINES))))
    writer.encrypt("rahasia")
    locked = io.BytesIO()
    writer.write(locked)
    (inbox / "terkunci.pdf").write_bytes(locked.getvalue())
    (inbox / "pindaian.pdf").write_bytes(make_pdf([]))  # a page with no text: a scan
    return inbox


def test_pdf_and_word_files_are_articles(folder: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    embedder = LocalEmbedder()
    report = ingest_paths(settings, [folder], embedder)
    reasons = dict(report.skipped)
    assert sorted(Path(s).name for s in report.indexed) == ["rilis.docx", "siaran.pdf"]
    assert "encrypted PDF" in reasons[str(folder / "terkunci.pdf")]
    assert "OCR" in reasons[str(folder / "pindaian.pdf")]

    bot = Bot(settings, embedder)
    answer = bot.ask("When does the lobster seed export ban start?")
    cited = next(c for c in answer.citations if c.source.endswith("siaran.pdf"))
    # The quote is a whole sentence across the PDF's line break, exactly the source slice.
    assert "benih lobster ke Vietnam dihentikan mulai 1 Juli 2024." in cited.quote
    assert cited.quote.startswith("Jakarta")
    assert cited.title == "Siaran pers KKP"
    word = bot.ask("Where will the fast train stop?")
    assert any(c.source.endswith("rilis.docx") and "Padalarang" in c.quote for c in word.citations)

    client = TestClient(build_app(bot))
    page = client.get(f"/source/{cited.doc_id}?start={cited.start}&end={cited.end}")
    assert page.status_code == 200 and "Siaran pers KKP" in page.text
    assert '<mark id="cited">Jakarta - Kementerian' in page.text
    original = client.get(f"/source/{cited.doc_id}/raw")
    assert original.content == (folder / "siaran.pdf").read_bytes()
    assert original.headers["content-type"] == "application/pdf"
    assert original.headers["content-disposition"].startswith("attachment")
