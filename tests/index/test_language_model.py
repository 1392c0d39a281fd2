"""The language model readers map from the data dir: written by ingest, the same answers."""

import json
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from index.metadata import language_model_dir, open_language_model, save_language_model
from index.settings import Settings

TEXTS = [
    "What did Stoltenberg ask of South Korea during his visit to Seoul?",
    "Sekjen NATO Jens Stoltenberg meminta Korea Selatan meningkatkan bantuan militer.",
    "Le secrétaire général de l'OTAN a demandé davantage d'aide.",
    "Berapa harga tank yang dibeli?",
    "NATO",
    "",
]


def test_ingest_saves_the_model_and_the_mapped_copy_ranks_as_the_packed_one(
    seeded: Settings,
) -> None:
    folder = language_model_dir(seeded.data_dir)
    assert (folder / "model.json").is_file()  # written by the real ingest of the seeds
    mapped = open_language_model(folder)
    assert mapped is not None
    packed = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))]
    for text in texts:
        assert mapped.rank(text) == packed.rank(text)


def test_a_partial_or_foreign_copy_is_ignored_and_written_again(tmp_path: Path) -> None:
    folder = tmp_path / "langid"
    save_language_model(folder)
    manifest = json.loads((folder / "model.json").read_text())
    (folder / "model.json").write_text(json.dumps(manifest | {"model": "another 1.0"}))
    assert open_language_model(folder) is None  # another model's arrays: not used
    save_language_model(folder)
    assert open_language_model(folder) is not None
    (folder / "nextmove.npy").write_bytes(b"cut short")
    assert open_language_model(folder) is None  # a damaged file: the packed model instead
    save_language_model(folder)
    assert open_language_model(folder) is not None
    assert open_language_model(tmp_path / "absent") is None
