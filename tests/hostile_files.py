"""Hostile and broken files, written by the tests that need them (issue 33)."""

import io
import zipfile

import docx

GOOD = (
    "Jakarta (ANTARA) - Kepala Badan Pangan Arief Prasetyo Adi mengatakan bahwa cadangan beras "
    "pemerintah cukup untuk enam bulan ke depan."
)
OTHER = (
    "Bandung - Gubernur Jawa Barat mengatakan bahwa kereta cepat akan berhenti di Stasiun "
    "Padalarang mulai Oktober."
)
# Mojibake in a copyright notice glued before the news: the notice is furniture.
NATUNA = (
    "Hak cipta ยฉ 2024. Juru bicara Kementerian Pertahanan Rina Kusuma mengatakan latihan "
    "bersama akan digelar di Natuna pada bulan depan.\n"
)


def word_file(paragraphs: list[str]) -> bytes:
    """A real Word file (python-docx)."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_document_xml(raw: bytes, xml: bytes) -> bytes:
    """The Word file `raw` with its word/document.xml replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def truncated_word_file() -> bytes:
    """A Word file whose document.xml stops half-way (lxml: XMLSyntaxError)."""
    raw = word_file(["Menteri itu mengatakan bahwa rapat ditunda hingga pekan depan."] * 20)
    xml = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml")
    return with_document_xml(raw, xml[: len(xml) // 2])


def bomb_word_file() -> bytes:
    """A Word file of about 90 kB whose document.xml unpacks to 60 MB of empty paragraphs."""
    raw = word_file(["x"])
    xml = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml").decode()
    head = xml.split("<w:body>", 1)[0]
    bomb = head + "<w:body>" + "<w:p/>" * 10_000_000 + "</w:body></w:document>"
    return with_document_xml(raw, bomb.encode())


def long_article(lines: int = 9_001) -> str:
    """An article of many short quoted lines, each a claim of a described speaker."""
    speakers = ("the spokesman", "the minister", "Budi Santoso", "the agency", "Siti Aminah")
    return "".join(
        f'"Item number {n} of the new transport plan will be discussed by the council next '
        f'week," {speakers[n % 5]} said.\n'
        for n in range(lines)
    )
