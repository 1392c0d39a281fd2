import json
from pathlib import Path

import pytest

from index.article import load_article
from index.chunk import chunk_article
from index.embed import LocalEmbedder
from index.errors import ArticleError
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
BOILERPLATE = [
    "ADVERTISEMENT",
    "Baca juga",
    "Google News",
    "google news",
    "Version 1.93.2",
    "ยฉ",
    "Viral!",
    "Tentang Kami",
    "waktu baca",
    "Sumber: Anadolu",
    "Cek Berita",
]


@pytest.mark.parametrize(
    "name, title, outlet, date, credits",
    [
        ("000_5aa4ec63266beb67.txt", "unknown", "Medcom", "2023-01-30", ()),
        (
            "001_7c76dbf8ebe446d4.txt",
            "Sekjen NATO Minta Korsel Kirim Bantuan Militer ke Ukraina",
            "kumparan",
            "2023-01-30",
            (),
        ),
        ("004_245cae90d7e48221.txt", "unknown", "ANTARA", "unknown", ("Anadolu",)),
    ],
)
def test_seed_metadata(name: str, title: str, outlet: str, date: str, credits: tuple[str]) -> None:
    article = load_article(SEEDS / name, f"seeds/{name}")
    assert (article.title, article.outlet, article.date) == (title, outlet, date)
    assert article.credits == credits
    assert article.language == "id"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_boilerplate_never_reaches_the_body(path: Path) -> None:
    article = load_article(path, str(path))
    body = "\n".join(article.text[s:e] for s, e in article.body)
    for marker in BOILERPLATE:
        assert marker not in body
    assert article.text == path.read_text(encoding="utf-8")  # offsets point into the file


def test_body_sentences_that_contain_such_words_stay() -> None:
    article = load_article(SEEDS / "000_5aa4ec63266beb67.txt", "x")
    body = [article.text[s:e] for s, e in article.body]
    assert any("tur Asia yang juga akan mencakup lawatan ke Jepang" in line for line in body)
    assert any(line.startswith("Stoltenberg mengaku belum dapat") for line in body)


def test_english_article_with_dateline_and_credit(tmp_path: Path) -> None:
    path = tmp_path / "wire.md"
    path.write_text(
        "# Minister denies report\n\n"
        "January 5, 2024\n\n"
        "JAKARTA (Reuters) - The minister denied the report on Friday, according to AFP.\n\n"
        "Read more: Another story\n\n"
        "Follow us on Google News\n",
        encoding="utf-8",
    )
    article = load_article(path, str(path))
    assert article.title == "Minister denies report"
    assert article.outlet == "Reuters"
    assert article.date == "2024-01-05"
    assert article.language == "en"
    body = [article.text[s:e] for s, e in article.body]
    assert body == [
        "JAKARTA (Reuters) - The minister denied the report on Friday, according to AFP."
    ]


def test_sidecar_overrides_the_heuristics(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((SEEDS / "004_245cae90d7e48221.txt").read_bytes())
    sidecar = {"url": "https://example.org/a", "title": "T", "outlet": "O", "date": "2024-04-04"}
    path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")
    article = load_article(path, str(path))
    assert (article.url, article.title, article.outlet, article.date) == (
        "https://example.org/a",
        "T",
        "O",
        "2024-04-04",
    )


def test_broken_sidecar_is_a_clear_reason(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Seorang pejabat mengatakan hal itu kepada wartawan.", encoding="utf-8")
    path.with_suffix(".json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"a\.json is not valid JSON"):
        load_article(path, str(path))


def test_only_boilerplate_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_text("ADVERTISEMENT\nBaca juga: Sesuatu\nGoogle News\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="no article text"):
        load_article(path, str(path))


def test_bad_sidecar_values_are_dropped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "berita.txt"
    path.write_text(
        "Jakarta (ANTARA) - Menteri Keuangan Sri Mulyani mengatakan bahwa penerimaan pajak naik.\n",
        encoding="utf-8",
    )
    sidecar = {
        "date": "9999-99-99",
        "outlet": {"name": "Tempo"},
        "title": "x" * 1_000_000,
        "url": "javascript:alert(1)",
    }
    path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    report = ingest_paths(settings, [folder], LocalEmbedder())
    assert report.indexed == [str(path)]
    reasons = " ".join(report.warnings)
    for key in ("date", "outlet", "title", "url"):
        assert f"sidecar {key}" in reasons
    assert all("\n" not in w and len(w) < 300 for w in report.warnings)
    meta = next(c.meta for c in Store(settings, LocalEmbedder()).chunks())
    assert meta["date"] != "9999-99-99" and meta["url"] == "" and len(str(meta["title"])) < 500
    assert "{" not in str(meta["outlet"])

    path.with_suffix(".json").write_text(json.dumps({"date": "2023-01-30T08:15:00+07:00"}))
    article = load_article(path, str(path))
    assert article.date == "2023-01-30" and not article.warnings


def test_furniture_inside_a_line_is_cut_and_the_news_around_it_kept(tmp_path: Path) -> None:
    path = tmp_path / "satu.txt"
    path.write_text(
        "© 2024 Kompas.com. Menteri Perhubungan Budi Karya mengatakan bahwa tarif KRL tidak "
        "naik tahun ini. ADVERTISEMENT Ia menambahkan bahwa subsidi tetap diberikan "
        "(Foto: Getty Images) kepada penumpang. Foto: ANTARA/Rivan Awal Lingga\n",
        encoding="utf-8",
    )
    article = load_article(path, str(path))
    body = [article.text[s:e] for s, e in article.body]
    joined = " ".join(body)
    assert "tarif KRL tidak naik tahun ini." in joined and "subsidi tetap diberikan" in joined
    for furniture in ("©", "Kompas.com", "ADVERTISEMENT", "Getty", "Rivan"):
        assert furniture not in joined
    assert all(article.text[s:e] == piece for (s, e), piece in zip(article.body, body, strict=True))


NEWS = [
    "Gubernur Jawa Tengah mengatakan jalan tol baru dibuka pekan depan.",
    '" Kami sudah siap melayani pemudik, " ujar Kepala Dinas Perhubungan kepada wartawan.',
    "Jakarta (ANTARA) - Harga beras di Pasar Cipinang turun dua persen pada Senin pagi.",
]
FURNITURE = {
    "read also": "Baca Juga: Banjir Rob Genangi Pesisir Utara Semarang",
    "related": "[Lihat juga: Polisi Siapkan Rekayasa Lalu Lintas di Tol Cikampek]",
    "share bar": "Bagikan: WhatsApp Facebook X Telegram",
    "share call": "Share this story",
    "follow us": "Jangan lupa follow Instagram kami untuk update berita terbaru.",
    "photo credit": "Foto: ANTARA FOTO/Aprillio Akbar",
    "ad copy": "ADVERTISEMENT: Diskon 50% hari ini",
    "copyright": "Copyright © 2023 Detikcom.",
}


@pytest.mark.parametrize("kind", sorted(FURNITURE))
@pytest.mark.parametrize("place", ["line start", "line end", "between sentences", "own line"])
def test_each_kind_of_furniture_is_cut_wherever_it_stands(
    tmp_path: Path, kind: str, place: str
) -> None:
    piece = FURNITURE[kind]
    first, second, third = NEWS
    text = {
        "line start": f"{piece} {third} {first}\n\n{second}",
        "line end": f"{third} {first} {piece}\n\n{second}",
        "between sentences": f"{third} {piece} {first}\n\n{second}",
        "own line": f"{third} {first}\n\n{piece}\n\n{second}",
    }[place]
    path = tmp_path / "berita.txt"
    path.write_text(text, encoding="utf-8")
    article = load_article(path, str(path))
    body = " ".join(article.text[s:e] for s, e in article.body)
    for sentence in NEWS:
        assert sentence in body
    rest = piece.partition(": ")[2]
    assert piece not in body and (rest or piece) not in body


@pytest.mark.parametrize(
    "sentence",
    [
        "Lihat-lihat dulu, kata pedagang di pasar itu kepada kami.",
        "Berita terkait penangkapan itu beredar luas di media sosial.",
        "Share prices rose after the central bank kept its rate at six percent.",
        "Dia membagikan foto itu di akun Instagram miliknya pada Minggu malam.",
        "Google News meluncurkan fitur baru untuk pembaca di Indonesia pekan ini.",
        "Ikuti saja aturannya, kata Kepala Dinas kepada warga yang protes.",
        "Panitia menyiapkan sesi foto: peserta berdiri di depan panggung utama.",
    ],
)
def test_sentences_using_furniture_words_stay(tmp_path: Path, sentence: str) -> None:
    path = tmp_path / "berita.txt"
    path.write_text(f"{NEWS[2]} {sentence} {NEWS[0]}\n\n{sentence}", encoding="utf-8")
    article = load_article(path, str(path))
    body = [article.text[s:e] for s, e in article.body]
    assert sentence in " ".join(body) and body[-1] == sentence


@pytest.mark.parametrize(
    "piece",
    [
        "Foto: REUTERS/Willy Kurniawan",
        "Foto: Istimewa",
        "© 2022 Detik.com",
        "Copyright © 2021 Republika",
        "Advertisement",
        "IKLAN",
        "Share on: Facebook Twitter Email",
        "Baca juga: Polisi Tangkap Dua Pelaku Pencurian Motor di Bekasi",
        "Read also: Why rice prices keep rising in the east",
    ],
)
def test_furniture_glued_to_a_sentence_takes_none_of_its_words(tmp_path: Path, piece: str) -> None:
    # No full stop between them, and the sentence opens with a plain capitalised word. (Two
    # capitalised words, "Google Search versi ...", cannot be told from a name run on: the
    # first of them is lost.)
    sentence = "Sebagian warga memilih mengungsi ke rumah kerabat sejak Senin malam."
    path = tmp_path / "berita.txt"
    path.write_text(f"{NEWS[2]} {piece} {sentence}\n\n{NEWS[0]}", encoding="utf-8")
    article = load_article(path, str(path))
    body = " ".join(article.text[s:e] for s, e in article.body)
    assert sentence in body and NEWS[2] in body
    rest = piece.partition(": ")[2]
    assert (rest or piece) not in body


def test_a_title_case_ad_word_that_opens_a_sentence_stays(tmp_path: Path) -> None:
    sentence = "Advertisement revenue rose by a tenth in the third quarter, the company said."
    path = tmp_path / "berita.txt"
    path.write_text(f"{NEWS[2]} {sentence}", encoding="utf-8")
    article = load_article(path, str(path))
    assert sentence in " ".join(article.text[s:e] for s, e in article.body)


def test_a_credit_glued_to_a_sentence_that_opens_with_a_name_keeps_the_name(
    tmp_path: Path,
) -> None:
    sentence = "Mary Jane ditangkap di Bandara Adi Sutjipto karena membawa heroin."
    path = tmp_path / "berita.txt"
    path.write_text(f"{NEWS[2]} Foto: Istimewa {sentence}", encoding="utf-8")
    article = load_article(path, str(path))
    body = " ".join(article.text[s:e] for s, e in article.body)
    assert sentence in body and "Istimewa" not in body


def test_ad_copy_ends_at_a_number_that_opens_the_next_run(tmp_path: Path) -> None:
    sentence = "5 Fakta baru soal jalan tol itu diumumkan pemerintah pada Senin."
    path = tmp_path / "berita.txt"
    path.write_text(f"{NEWS[2]} SPONSORED: Try the new app free for a month {sentence}", "utf-8")
    article = load_article(path, str(path))
    body = " ".join(article.text[s:e] for s, e in article.body)
    assert sentence in body and "free for a month" not in body


WRAPPED = """Rapat Kabinet Bahas Anggaran

Jakarta - Menteri Keuangan Sri Mulyani mengatakan penerimaan pajak hingga akhir
Februari 2024 naik 12 persen dibandingkan periode yang sama tahun lalu. Ia menambahkan
bahwa kenaikan itu didorong oleh pajak penghasilan dan pajak pertambahan nilai yang
tumbuh seiring pulihnya konsumsi rumah tangga.

Menurut dia, pemerintah akan terus menjaga defisit anggaran di bawah tiga persen dari
produk domestik bruto.
"""


def test_hard_wrapped_text_gives_whole_sentences_at_their_offsets(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    article = load_article(path, str(path))
    body = [article.text[s:e] for s, e in article.body]
    assert article.title == "Rapat Kabinet Bahas Anggaran"
    assert body[0].startswith("Jakarta - Menteri Keuangan Sri Mulyani mengatakan")
    assert "hingga akhir Februari 2024 naik 12 persen" in body[0]
    assert body[-1] == (
        "Menurut dia, pemerintah akan terus menjaga defisit anggaran di bawah tiga persen "
        "dari produk domestik bruto."
    )
    # every offset still points at the same words in the file: only wraps became spaces
    assert len(article.text) == len(WRAPPED)
    for s, e in article.body:
        assert article.text[s:e].split() == WRAPPED[s:e].split()
    chunks = chunk_article(article)
    assert all(c.text[:1].isupper() and c.text.rstrip()[-1] in ".!?" for c in chunks)
