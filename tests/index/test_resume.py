"""An ingest killed with SIGKILL mid-run, then run again: complete, nothing twice."""

from pathlib import Path

import pytest

from index.article import load_article
from index.chunk import chunk_article
from index.claims import extract_claims
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store
from tests.app_process import REPO, kill_ingest_midway

FILES = 40  # over the threshold where parsing moves to worker processes


def make_corpus(folder: Path) -> list[Path]:
    folder.mkdir()
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    paths = []
    for i in range(FILES):
        seed = seeds[i % len(seeds)]
        path = folder / f"{i:03d}_{seed.name}"
        text = seed.read_text(encoding="utf-8")
        path.write_text(f"{text}\nCatatan redaksi: salinan arsip nomor {i}.\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_completes_without_duplicates(
    store_settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    paths = make_corpus(tmp_path / "articles")
    # Small batches: several writes before the kill; and parsing in worker processes.
    env = {"CLAIMBOT_EMBED_BATCH": "24", "CLAIMBOT_PARSE_WORKERS": "2"}
    if store_settings.chroma_url:
        env["CLAIMBOT_CHROMA_URL"] = store_settings.chroma_url
    status = kill_ingest_midway(tmp_path / "articles", store_settings.data_dir, FILES // 4, **env)
    assert status == -9, "the ingest finished before it could be killed"

    report = ingest_paths(store_settings, [tmp_path / "articles"], embedder)
    assert report.unchanged and report.indexed  # resumed: some files were already complete
    assert sorted(report.unchanged + report.indexed) == [str(p) for p in paths]

    store = Store(store_settings, embedder)
    articles = [load_article(p, str(p)) for p in paths]
    chunks = [c for a in articles for c in chunk_article(a, store_settings.chunk_chars)]
    stored = store.chunks()
    assert sorted(c.id for c in stored) == sorted(c.id for c in chunks)  # none lost, none twice
    assert len({(c.meta["source"], c.meta["seq"]) for c in stored}) == len(stored)
    assert all(state.complete for state in store.file_states().values())
    claims = [c for a in articles for c in extract_claims(a)]
    assert sorted(c.id for c in store.claims()) == sorted(c.id for c in claims)
