"""LangChain's own standard retriever suite (langchain-tests), on the real seeds index:
once with the embedder the settings configure (the bundled model unless
CLAIMBOT_EMBEDDINGS_URL says otherwise), once with a real embedding service on loopback."""

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from bot.retrieve import Corpus, HybridRetriever
from index.embed import Embedder, make_embedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.store import Store
from tests.conftest import REPO
from tests.index.test_embed import embedding_service


def _params(data_dir: Path, settings: Settings) -> dict[str, Any]:
    embedder: Embedder = make_embedder(settings)
    with contextlib.chdir(REPO):
        ingest_paths(settings, [Path("seeds")], embedder)
    store = Store(settings, embedder)
    return {
        "store": store,
        "embedder": embedder,
        "corpus": Corpus.load(store, settings),
        "settings": settings,
    }


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("standard") / "data"
    return _params(data_dir, Settings(data_dir=data_dir))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("standard-served") / "data"
    with embedding_service() as url:
        yield _params(data_dir, Settings(data_dir=data_dir, embeddings_url=url))


class TestConfiguredEmbedder(RetrieversIntegrationTests):
    params: ClassVar[dict[str, Any]] = {}

    @pytest.fixture(autouse=True)
    def _index(self, configured: dict[str, Any]) -> None:
        type(self).params = configured

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return self.params

    @property
    def retriever_query_example(self) -> str:
        return "What did Stoltenberg ask of South Korea?"


class TestServedEmbedder(TestConfiguredEmbedder):
    @pytest.fixture(autouse=True)
    def _index(self, served: dict[str, Any]) -> None:  # type: ignore[override]
        type(self).params = served
