"""Turns at the embedding model: questions go first, but never starve a writer."""

import threading

from index.embed import QUESTIONS_PER_SLICE, LocalEmbedder, Turns


def test_a_writer_gets_its_turn_while_questions_never_stop() -> None:
    """Four chat workers asking without pause kept an upload waiting 55 s on the page."""
    turns = Turns()
    served: list[str] = []
    stop = threading.Event()
    asking = threading.Barrier(5)

    def ask() -> None:
        asking.wait()
        while not stop.is_set():
            with turns.query():
                served.append("q")
                stop.wait(0.002)  # a question's embedding holds the model a moment

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    asking.wait()
    while len(served) < 20:  # the questions are flowing, always one waiting
        stop.wait(0.001)

    def write() -> None:
        with turns.passages():
            served.append("slice")

    waited = len(served)
    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=30)  # starved, it would wait as long as the questions go on
    while served.count("q") < waited + 20:
        stop.wait(0.001)
    stop.set()
    for asker in askers:
        asker.join()
    writer.join()
    assert "slice" in served
    start = served.index("slice")
    # The slice came within QUESTIONS_PER_SLICE questions (and the ones already waiting) of
    # the writer asking, and questions went on after it.
    assert start - waited <= QUESTIONS_PER_SLICE + len(askers)
    assert "q" in served[start + 1 :]


def test_the_bundled_model_embeds_between_questions() -> None:
    """The real model through its turns: passages and questions from several threads."""
    embedder = LocalEmbedder()
    vectors: dict[str, object] = {}

    def ask(n: int) -> None:
        for _ in range(5):
            vectors[f"q{n}"] = embedder.embed_query(f"Apa kata Stoltenberg tentang Korea {n}?")

    askers = [threading.Thread(target=ask, args=(n,)) for n in range(3)]
    for asker in askers:
        asker.start()
    passages = embedder.embed_passages(
        [f"Stoltenberg berbicara di Seoul, bagian {n}." for n in range(70)]
    )
    for asker in askers:
        asker.join()
    assert passages.shape == (70, embedder.dim)
    assert len(vectors) == 3
