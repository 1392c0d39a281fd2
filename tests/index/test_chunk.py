from pathlib import Path

import pytest

from index.article import load_article
from index.chunk import chunk_article, searchable_text, split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_chunks_are_exact_slices_of_the_body(path: Path) -> None:
    article = load_article(path, str(path))
    chunks = chunk_article(article, max_chars=320)
    assert chunks
    for chunk in chunks:
        assert chunk.text == article.text[chunk.start : chunk.end]
        assert any(s <= chunk.start and chunk.end <= e for s, e in article.body)
        assert chunk.text == chunk.text.strip()
    assert len({c.id for c in chunks}) == len(chunks)


def test_long_paragraphs_split_at_sentences() -> None:
    text = " ".join(
        f"Kalimat nomor {i} ini cukup panjang untuk diuji dengan baik." for i in range(20)
    )
    sentences = split_sentences(text, 0, len(text))
    assert len(sentences) == 20
    assert all(text[s:e].endswith(".") for s, e in sentences)


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Menurut Prof. Budi dan Dr. Sari, hal itu benar. Kalimat kedua."
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == [
        "Menurut Prof. Budi dan Dr. Sari, hal itu benar.",
        "Kalimat kedua.",
    ]


def test_searchable_text_spells_out_short_forms() -> None:
    assert "Korea Selatan" in searchable_text("Korsel menolak.")
