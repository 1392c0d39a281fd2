"""Saved news pages through the real ingest: main content in, page furniture out, and what
the page states about itself (og:*, article:published_time, canonical, JSON-LD) used."""

import shutil
from pathlib import Path

from bot.chain import Bot
from index.article import load_article
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings

PAGE = Path(__file__).resolve().parents[1] / "data" / "news_page.html"
FURNITURE = [
    "Kami menggunakan cookie",  # cookie banner
    "Beranda",  # navigation
    "Berita Terkait",  # related-article list
    "Harga Beras Naik Jelang Ramadan",
    "jalan di kampung saya masih rusak",  # reader comments
    "Hak cipta dilindungi",  # footer
    "dataLayer",  # scripts
    "Tentang Kami",
]


def test_a_saved_news_page_is_read_as_the_article_it_holds(tmp_path: Path) -> None:
    article = load_article(PAGE, str(PAGE))
    assert article.title == "Menkeu: Penerimaan Pajak Naik 12 Persen"
    assert article.outlet == "Warta Nusantara"
    assert article.date == "2024-03-05"
    assert article.url.startswith("https://wartanusantara.example/ekonomi/")
    body = "\n".join(article.text[s:e] for s, e in article.body)
    assert all(f not in body for f in FURNITURE), [f for f in FURNITURE if f in body]
    # A paragraph wrapped over several lines of HTML source is one line, whole sentences.
    assert (
        "penerimaan pajak hingga akhir Februari 2024 naik 12 persen dibandingkan periode yang "
        "sama tahun lalu." in body
    )
    assert "Suryo Utomo menyatakan bahwa jumlah wajib pajak" in body

    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copyfile(PAGE, folder / "pajak.html")
    settings = Settings(data_dir=tmp_path / "data")
    embedder = LocalEmbedder()
    report = ingest_paths(settings, [folder], embedder)
    assert len(report.indexed) == 1 and not report.warnings
    answer = Bot(settings, embedder).ask("What did Sri Mulyani say about tax revenue?")
    cited = answer.citations[0]
    assert cited.outlet == "Warta Nusantara" and cited.date == "2024-03-05"
    assert cited.quote.startswith(("Jakarta - Menteri", '"Kenaikan'))
