import re
from pathlib import Path

import pytest
from filelock import FileLock

from index.embed import LocalEmbedder
from index.errors import IndexBusyError, IndexMismatchError, IndexMissingError
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store


class OtherModel(LocalEmbedder):
    """Another embedding model, as a user switching models would configure."""

    name = "another-model"


def chunk_count(settings: Settings, embedder: LocalEmbedder) -> int:
    return Store(settings, embedder).count()


@pytest.mark.slow
def test_incremental_ingest(
    store_settings: Settings, embedder: LocalEmbedder, corpus_copy: Path
) -> None:
    settings = store_settings
    first = ingest_paths(settings, [corpus_copy], embedder)
    assert len(first.indexed) == 3 and first.chunks_written > 30
    total = chunk_count(settings, embedder)
    assert total == first.chunks_written

    again = ingest_paths(settings, [corpus_copy], embedder)
    assert again.indexed == [] and len(again.unchanged) == 3 and again.chunks_written == 0

    changed = corpus_copy / "004_245cae90d7e48221.txt"
    changed.write_text("Menteri itu mengatakan bahwa rapat ditunda hingga pekan depan.", "utf-8")
    (corpus_copy / "001_7c76dbf8ebe446d4.txt").unlink()
    third = ingest_paths(settings, [corpus_copy], embedder)
    assert third.indexed == [str(changed)]
    assert third.removed == [str(corpus_copy / "001_7c76dbf8ebe446d4.txt")]
    sources = {c.meta["source"] for c in Store(settings, embedder).chunks()}
    assert sources == {str(corpus_copy / "000_5aa4ec63266beb67.txt"), str(changed)}
    assert chunk_count(settings, embedder) == 10 + 1


def test_a_file_with_its_last_chunk_missing_is_indexed_again(
    settings: Settings, embedder: LocalEmbedder, corpus_copy: Path
) -> None:
    """A write stopped inside a file leaves its first chunks without its last (a file's
    chunks are written in order, in one call); the next ingest writes that file again."""
    ingest_paths(settings, [corpus_copy], embedder)
    store = Store(settings, embedder)
    total = store.count()
    states = store.file_states()
    assert len(states) == 3 and all(s.complete for s in states.values())
    cut = corpus_copy / "000_5aa4ec63266beb67.txt"
    rows = store._collection.get(where={"source": str(cut)}, include=["metadatas"])
    n = int(rows["metadatas"][0]["n_chunks"])
    last = [i for i, m in zip(rows["ids"], rows["metadatas"], strict=True) if m["seq"] == n - 1]
    store._collection.delete(ids=last)  # as a write killed before that chunk
    states = Store(settings, embedder).file_states()
    assert not states[str(cut)].complete
    assert all(s.complete for source, s in states.items() if source != str(cut))
    again = ingest_paths(settings, [corpus_copy], embedder)
    assert again.indexed == [str(cut)] and len(again.unchanged) == 2
    assert Store(settings, embedder).count() == total


def test_bad_files_are_skipped_with_reasons(
    store_settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    settings = store_settings
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Presiden itu mengatakan bahwa ia akan hadir.", "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "notes.json").write_text("{}", "utf-8")  # not an article type: ignored
    report = ingest_paths(settings, [folder, tmp_path / "missing"], embedder)
    assert report.indexed == [str(folder / "good.txt")]
    reasons = dict(report.skipped)
    assert reasons[str(folder / "empty.txt")] == "empty file (no text)"
    assert reasons[str(folder / "image.txt")] == "binary file, not text"
    assert reasons[str(tmp_path / "missing")] == "no such file or folder"


def test_oversized_file_is_skipped_before_reading(tmp_path: Path, embedder: LocalEmbedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", max_file_mb=0.001)
    big = tmp_path / "big.txt"
    big.write_text("Kalimat yang cukup panjang untuk artikel. " * 100, "utf-8")
    report = ingest_paths(settings, [big], embedder)
    assert report.indexed == []
    assert "over the 0.001 MB limit" in report.skipped[0][1]


def test_another_model_is_refused_with_how_to_reindex(
    store_settings: Settings, embedder: LocalEmbedder
) -> None:
    ingest_paths(store_settings, [Path("seeds/004_245cae90d7e48221.txt")], embedder)
    before = chunk_count(store_settings, embedder)
    with pytest.raises(IndexMismatchError, match=r"another-model.*ingest --rebuild"):
        ingest_paths(store_settings, [Path("seeds")], OtherModel())
    assert chunk_count(store_settings, embedder) == before > 0


def test_missing_index_says_how_to_build_it(
    store_settings: Settings, embedder: LocalEmbedder
) -> None:
    hint = "python -m bot ingest seeds/"
    if store_settings.chroma_url:
        hint += f" --chroma-url {store_settings.chroma_url}"
    with pytest.raises(IndexMissingError, match=re.escape(hint)):
        Store(store_settings, embedder)
    assert not (store_settings.data_dir / "chroma").exists()


def test_second_writer_fails_fast(settings: Settings, embedder: LocalEmbedder) -> None:
    settings.data_dir.mkdir(parents=True)
    with (
        FileLock(settings.data_dir / "ingest.lock"),
        pytest.raises(IndexBusyError, match="Another ingest"),
    ):
        ingest_paths(settings, [Path("seeds")], embedder)


def test_rebuild_switches_the_model_and_keeps_a_calibration_fitted_for_it(
    settings: Settings, embedder: LocalEmbedder
) -> None:
    from index.calibration import Calibration, SupportModel

    seed = [Path("seeds/004_245cae90d7e48221.txt")]
    ingest_paths(settings, seed, embedder)
    mine = SupportModel(bias=-1.0, weights=(1.0, 1.0, 1.0), threshold=-2.0)
    Store(settings, embedder).save_calibration(
        Calibration(embedder=embedder.name, models={"en": mine}, fitted_on="mine.jsonl")
    )
    ingest_paths(settings, seed, embedder, rebuild=True)  # the same model: kept
    kept = Store(settings, embedder).calibration()
    assert kept is not None and kept.models["en"] == mine

    report = ingest_paths(settings, seed, OtherModel(), rebuild=True)  # another: it starts over
    assert report.indexed and Store(settings, OtherModel()).calibration() is None
    with pytest.raises(IndexMismatchError, match=r"another-model.*ingest --rebuild"):
        Store(settings, embedder)


def test_a_model_without_a_calibration_quotes_and_says_refusals_are_not_calibrated(
    settings: Settings,
) -> None:
    from bot.chain import Bot

    ingest_paths(settings, [Path("seeds/004_245cae90d7e48221.txt")], OtherModel())
    bot = Bot(settings, OtherModel())
    assert bot.calibration is None
    answer = bot.ask("What did Stoltenberg say about partners in the Indo-Pacific?")
    assert answer.found and answer.citations
    assert answer.notice and "not calibrated for the embedding model another-model" in answer.notice
