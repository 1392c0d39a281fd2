"""Shared fixtures: the real bundled embedder, the real seeds through the real ingest."""

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chain import Bot
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from tests.app_process import running_chroma

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, embedder: LocalEmbedder) -> Settings:
    """Settings whose data dir holds an index of the real seeds (built once per run)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("seeded") / "data")
    with contextlib.chdir(REPO):
        report = ingest_paths(settings, [Path("seeds")], embedder)
    assert len(report.indexed) == 3 and not report.skipped
    return settings


@pytest.fixture(scope="session")
def bot(seeded: Settings, embedder: LocalEmbedder) -> Bot:
    return Bot(seeded, embedder)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(params=["embedded", "server"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for an empty store: embedded, and on a real `chroma run` on loopback."""
    if request.param == "embedded":
        yield Settings(data_dir=tmp_path / "data")
    else:
        with running_chroma(tmp_path / "chroma-server") as url:
            yield Settings(data_dir=tmp_path / "data", chroma_url=url)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the seeds, for tests that change files."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    yield target


@pytest.fixture(autouse=True)
def _run_from_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sources are recorded as given ("seeds/..."), as a user running from the repo would.
    monkeypatch.chdir(REPO)
