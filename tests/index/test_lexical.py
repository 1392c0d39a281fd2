"""The files readers open at start: the lexical index in segments, and the saved ledger."""

import json
import logging
from pathlib import Path

import pytest

from bot.chain import Bot
from bot.ledger import LedgerIndex
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.ledger import build_ledger, index_bars
from index.lexical import MAX_SEGMENTS, LexicalIndex, lexical_dir, read_manifest, tokenize
from index.settings import Settings
from index.store import Store
from index.tracked import ledger_dir, load_ledger

BUILDING = "building it in memory"


def _article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def _top(index: LexicalIndex, question: str, n: int = 5) -> list[str]:
    return [i for i, _ in index.search(tokenize(question), n)]


def test_readers_open_the_written_files_and_pick_up_a_new_segment(
    settings: Settings,
    embedder: LocalEmbedder,
    corpus_copy: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ingest_paths(settings, [corpus_copy], embedder)
    store = Store(settings, embedder)
    manifest = read_manifest(lexical_dir(settings.data_dir))
    assert manifest is not None and manifest["generation"] == store.generation()
    assert manifest["articles"] == 3 and len(manifest["segments"]) == 1

    with caplog.at_level(logging.WARNING):
        bot = Bot(settings, embedder)
    assert BUILDING not in caplog.text
    assert bot.corpus.articles == 3
    first = bot.corpus.lexical.segments[0]

    extra = _article(
        tmp_path / "more",
        "bandung.txt",
        "Wali Kota Bandung Yana Mulyana meresmikan jembatan Cikapundung yang baru pada Senin.",
    )
    ingest_paths(settings, [extra], embedder)
    assert len(read_manifest(lexical_dir(settings.data_dir))["segments"]) == 2
    bot.refresh(force=True)
    assert bot.corpus.articles == 4
    assert bot.corpus.lexical.segments[0] is first  # mapped once, not read again
    answer = bot.ask("Siapa yang meresmikan jembatan Cikapundung?")
    assert answer.found and answer.citations[0].source == str(extra)


def test_replaced_and_removed_documents_leave_the_lexical_index(
    settings: Settings, embedder: LocalEmbedder, corpus_copy: Path
) -> None:
    ingest_paths(settings, [corpus_copy], embedder)
    changed = corpus_copy / "004_245cae90d7e48221.txt"
    old_text = changed.read_text("utf-8")
    changed.write_text("Menteri itu mengatakan bahwa rapat ditunda hingga pekan depan.", "utf-8")
    (corpus_copy / "001_7c76dbf8ebe446d4.txt").unlink()
    ingest_paths(settings, [corpus_copy], embedder)

    store = Store(settings, embedder)
    files = LexicalIndex.open(lexical_dir(settings.data_dir))
    assert files is not None and len(files.segments) == 2
    live = {r.id for r in store.rows()}
    assert files.chunks == len(live) and files.articles == 2
    memory = LexicalIndex.build(store.rows())
    old_words = " ".join(tokenize(old_text)[:40])
    for question in (old_words, "rapat ditunda pekan depan", "Stoltenberg Korea amunisi"):
        found = _top(files, question, 20)
        assert set(found) <= live  # nothing of the old version or the removed file
        assert found[:3] == _top(memory, question, 3)  # ranked as one index of the live rows


def test_segments_merge_past_the_limit(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "daily"
    for day in range(MAX_SEGMENTS + 1):
        text = f"Pada hari ke-{day} rapat warga desa Sukamaju membahas irigasi sawah nomor {day}."
        ingest_paths(settings, [_article(folder, f"day{day}.txt", text)], embedder)
    manifest = read_manifest(lexical_dir(settings.data_dir))
    assert manifest is not None and manifest["articles"] == MAX_SEGMENTS + 1
    assert len(manifest["segments"]) < MAX_SEGMENTS
    on_disk = sorted(p.name for p in lexical_dir(settings.data_dir).glob("seg-*"))
    assert on_disk == sorted(manifest["segments"])  # merged segments are gone


def test_a_store_written_behind_the_files_is_read_in_memory_until_the_next_ingest(
    settings: Settings,
    embedder: LocalEmbedder,
    corpus_copy: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ingest_paths(settings, [corpus_copy], embedder)
    store = Store(settings, embedder)
    store.remove([str(corpus_copy / "001_7c76dbf8ebe446d4.txt")])  # as another writer would

    with caplog.at_level(logging.WARNING):
        bot = Bot(settings, embedder)
    assert BUILDING in caplog.text and "older than the store" in caplog.text
    assert bot.corpus.articles == 2

    report = ingest_paths(settings, [corpus_copy], embedder)  # re-indexes the removed file
    assert len(report.indexed) == 1
    manifest = read_manifest(lexical_dir(settings.data_dir))
    assert manifest is not None and manifest["generation"] == store.generation()
    assert len(manifest["segments"]) == 1 and manifest["articles"] == 3  # rebuilt whole


def test_the_ledger_is_saved_at_write_time_and_loaded_by_readers(
    settings: Settings, embedder: LocalEmbedder, corpus_copy: Path
) -> None:
    ingest_paths(settings, [corpus_copy], embedder)
    store = Store(settings, embedder)
    saved = load_ledger(ledger_dir(settings.data_dir))
    assert saved is not None and saved[0] == store.generation()
    built = build_ledger(store.claims(), index_bars(settings, store))
    assert [t.to_json() for t in saved[1]] == [t.to_json() for t in built]
    assert len(built) > 10

    bot = Bot(settings, embedder)
    assert json.dumps([t.to_json() for t in bot.ledger]) == json.dumps([t.to_json() for t in built])
    answer = bot.ask("What did Stoltenberg ask of Korea?")
    assert any(c.claim_id for c in answer.citations)  # citations carry the saved ledger's claims

    # The saved vectors, mapped from their file, find what the built ones find.
    claims = store.claims()
    from_store = LedgerIndex(built, {c.id: c.meta["vector"] for c in claims})
    from_file = LedgerIndex(saved[1], saved[2])
    for claim in claims:
        vector = claim.meta["vector"]
        found, score = from_store.nearest(vector) or (None, 0.0)
        again, same = from_file.nearest(vector) or (None, 0.0)
        assert found is not None and again is not None
        assert (again.id, same) == (found.id, score)
