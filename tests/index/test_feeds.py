"""RSS and Atom feeds: each item is an article of its own, with its URL, title, date, outlet."""

from pathlib import Path

from bot.chain import Bot
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Kabar Nusantara</title>
  <link>https://kabar.example.id/</link>
  <description>Berita terbaru</description>
  <item>
    <title>Bupati resmikan bendungan Cibeureum</title>
    <link>https://kabar.example.id/2024/03/bendungan-cibeureum</link>
    <guid>https://kabar.example.id/?p=101</guid>
    <pubDate>Mon, 04 Mar 2024 09:30:00 +0700</pubDate>
    <dc:creator>Rina Hartati</dc:creator>
    <description><![CDATA[Bupati meresmikan bendungan baru.]]></description>
    <content:encoded><![CDATA[
      <p>Bupati Sukamaju Ahmad Fauzi meresmikan bendungan Cibeureum pada Senin.</p>
      <p>"Bendungan ini akan mengairi 4.000 hektare sawah," kata Ahmad Fauzi.</p>
      <div class="share">Bagikan: <a href="#">Facebook</a></div>
    ]]></content:encoded>
  </item>
  <item>
    <title>Harga cabai turun di pasar induk</title>
    <link>https://kabar.example.id/2024/03/harga-cabai</link>
    <guid>https://kabar.example.id/?p=102</guid>
    <pubDate>Tue, 05 Mar 2024 07:00:00 +0700</pubDate>
    <description><![CDATA[<p>Harga cabai rawit di Pasar Induk Kramat Jati turun menjadi
      Rp40.000 per kilogram, kata Kepala Dinas Perdagangan Siti Aminah.</p>]]></description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Gazette</title>
  <id>urn:uuid:harbour</id>
  <updated>2024-05-02T10:00:00Z</updated>
  <entry>
    <title>Port authority approves new ferry terminal</title>
    <link href="https://gazette.example.org/ferry-terminal"/>
    <id>urn:uuid:ferry-1</id>
    <published>2024-05-01T08:00:00Z</published>
    <content type="html">&lt;p&gt;The port authority approved a new ferry terminal on
      Wednesday. "It will double capacity by 2026," chairman Tom Reyes said.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def _details(settings: Settings, embedder: LocalEmbedder) -> dict[str, dict[str, object]]:
    return {
        str(c.meta["url"]): c.meta for c in Store(settings, embedder).chunks() if c.meta["seq"] == 0
    }


def test_each_item_of_a_feed_is_an_article_with_its_own_details(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "kabar.rss").write_text(RSS, "utf-8")
    (folder / "harbour.atom").write_text(ATOM, "utf-8")
    (folder / "sitemap.xml").write_text("<urlset><url><loc>x</loc></url></urlset>", "utf-8")
    report = ingest_paths(settings, [folder], embedder)
    assert len(report.indexed) == 3
    assert [(Path(s).name, r) for s, r in report.skipped] == [
        ("sitemap.xml", "not an RSS or Atom feed with items")
    ]
    details = _details(settings, embedder)
    dam = details["https://kabar.example.id/2024/03/bendungan-cibeureum"]
    assert dam["title"] == "Bupati resmikan bendungan Cibeureum"
    assert dam["outlet"] == "Kabar Nusantara" and dam["date"] == "2024-03-04"
    ferry = details["https://gazette.example.org/ferry-terminal"]
    assert ferry["outlet"] == "Harbour Gazette" and ferry["date"] == "2024-05-01"
    assert details["https://kabar.example.id/2024/03/harga-cabai"]["date"] == "2024-03-05"

    answer = Bot(settings, embedder).ask("Berapa hektare sawah yang akan diairi bendungan?")
    assert answer.found
    cited = answer.citations[0]
    assert cited.outlet == "Kabar Nusantara" and "4.000 hektare" in cited.quote
    assert "Bagikan" not in cited.quote
    assert Path(cited.source).read_text("utf-8")[cited.start : cited.end] == cited.quote


def test_a_feed_read_again_indexes_only_what_changed_and_keeps_what_left(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    feed = tmp_path / "kabar.rss"
    feed.write_text(RSS, "utf-8")
    assert len(ingest_paths(settings, [feed], embedder).indexed) == 2
    again = ingest_paths(settings, [feed], embedder)
    assert again.indexed == [] and len(again.unchanged) == 2

    rolled = RSS.replace("Rp40.000", "Rp35.000")  # one item corrected
    start = rolled.index("  <item>")
    rolled = rolled[:start] + rolled[rolled.index("</item>") + len("</item>\n") :]  # one gone
    feed.write_text(rolled, "utf-8")
    third = ingest_paths(settings, [feed], embedder)
    assert len(third.indexed) == 1 and third.removed == []
    texts = " ".join(c.text for c in Store(settings, embedder).chunks())
    assert "Rp35.000" in texts and "Rp40.000" not in texts
    assert "4.000 hektare" in texts  # the item that left the feed stays in the archive
