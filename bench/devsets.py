"""The development sets of ../shared/data as corpora and questions, and their indexes.

Each corpus is written out one passage a file and indexed by the real ingest into a cache
folder (`CLAIMBOT_BENCH_CACHE`, default ~/.cache/claimbot-bench), so a second run reuses
it. The "archive" corpus holds every development passage among the 3,463 real IndoSum
articles, as a newsroom's archive would: the same questions asked there must get the
same decisions as in their own small corpus.

    python bench/devsets.py [facqa] [xquad] [idkmrc] [archive]   (build the indexes)
"""

import ast
import csv
import hashlib
import json
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import Embedder, LocalEmbedder, RemoteEmbedder
from index.ingest import ingest_paths
from index.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("CLAIMBOT_BENCH_DATA", REPO.parent / "shared" / "data"))
CACHE = Path(os.environ.get("CLAIMBOT_BENCH_CACHE", Path.home() / ".cache" / "claimbot-bench"))
CORPORA = ("facqa", "xquad", "idkmrc")


@dataclass(frozen=True)
class Question:
    """One development question; `gold` is the passage key that answers it, "" if none."""

    set: str
    text: str
    gold: str
    language: str
    answer: str = ""  # the gold answer's text in the passage ("" when unanswerable)


def facqa_passages() -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    """FacQA's passages by key, and every row as (split, row) in file order."""
    passages: dict[str, str] = {}
    rows: list[tuple[str, dict[str, str]]] = []
    for split in ("train", "valid", "test"):
        with open(DATA / "facqa" / f"{split}_preprocess.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = " ".join(ast.literal_eval(row["passage"]))
                passages.setdefault(text, str(len(passages)))
                rows.append((split, row))
    return {key: text for text, key in passages.items()}, rows


def facqa_answer(row: dict[str, str]) -> str:
    """The passage tokens FacQA tags as the answer (B/I), joined."""
    tokens = ast.literal_eval(row["passage"])
    tags = ast.literal_eval(row["seq_label"])
    return " ".join(t for t, tag in zip(tokens, tags, strict=False) if tag != "O")


def idk_paragraphs() -> list[dict]:  # type: ignore[type-arg]
    return json.loads((DATA / "idk_mrc" / "valid.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def corpus(name: str) -> dict[str, str]:
    """Passage key -> text of one development corpus."""
    if name == "facqa":
        return facqa_passages()[0]
    if name == "xquad":
        lines = (DATA / "xquad_en_id" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        return {str(row["passage"]): row["text"] for row in map(json.loads, lines)}
    if name == "idkmrc":
        return {str(n): p["context"] for n, p in enumerate(idk_paragraphs())}
    raise ValueError(name)


def questions(name: str) -> list[Question]:
    """The questions over one corpus, in both languages where the data has them."""
    if name == "facqa":
        passages, rows = facqa_passages()
        key_of = {text: key for key, text in passages.items()}
        found = []
        by_split: dict[tuple[str, int], tuple[str, str]] = {}
        counters: dict[str, int] = {}
        for split, row in rows:
            index = counters.get(split, 0)
            counters[split] = index + 1
            gold = key_of[" ".join(ast.literal_eval(row["passage"]))]
            answer = facqa_answer(row)
            by_split[(split, index)] = (gold, answer)
            question = " ".join(ast.literal_eval(row["question"]))
            found.append(Question("facqa_id", question, gold, "id", answer))
        with open(DATA / "facqa_en" / "dev.tsv", encoding="utf-8") as handle:
            for split, index, english, _ in csv.reader(handle, delimiter="\t"):
                gold, answer = by_split[(split, int(index))]
                found.append(Question("facqa_en", english, gold, "en", answer))
        return found
    if name == "xquad":
        lines = (DATA / "xquad_en_id" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        return [
            Question("xquad_en", row["question_en"], str(row["passage"]), "en", row["answer_id"])
            for row in map(json.loads, lines)
        ]
    if name == "idkmrc":
        found, gold_of = [], {}  # type: ignore[var-annotated]
        for n, paragraph in enumerate(idk_paragraphs()):
            for qa in paragraph["qas"]:
                gold = "" if qa["is_impossible"] else str(n)
                answer = qa["answers"][0]["text"] if gold and qa["answers"] else ""
                gold_of[qa["id"]] = (gold, answer)
                found.append(Question("idkmrc_id", qa["question"], gold, "id", answer))
        with open(DATA / "idk_mrc_en" / "valid.tsv", encoding="utf-8") as handle:
            for qid, _, english, _ in csv.reader(handle, delimiter="\t"):
                gold, answer = gold_of[qid]
                found.append(Question("idkmrc_en", english, gold, "en", answer))
        return found
    raise ValueError(name)


_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def indosum_articles() -> dict[str, str]:
    """IndoSum's articles (deduplicated by id) as readable text, one paragraph a line."""
    articles: dict[str, str] = {}
    for path in sorted((DATA / "indosum").glob("dev.*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] in articles:
                continue
            paragraphs = [" ".join(" ".join(s) for s in p) for p in row["paragraphs"]]
            text = "\n\n".join(
                _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", p)) for p in paragraphs
            )
            articles[row["id"]] = text
    return articles


def indosum_sources() -> dict[str, tuple[str, str]]:
    """IndoSum id -> (outlet, URL) as the data gives them."""
    sources: dict[str, tuple[str, str]] = {}
    for path in sorted((DATA / "indosum").glob("dev.*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            sources.setdefault(row["id"], (str(row["source"]), str(row["source_url"])))
    return sources


def passage_key(source: str) -> str:
    """The key of the development passage a chunk's source file is ("" for other files)."""
    path = Path(source)
    return f"{path.parent.name}/{path.stem}"


ARCHIVE_ARTICLES = {"archive": None, "archive1600": 1600}  # IndoSum articles in each archive


def write_corpus(name: str, folder: Path) -> None:
    """Write a corpus one passage (or article) a file under folder/<corpus>/. An archive
    holds every development passage and IndoSum's articles (the first 1,600 by id in
    `archive1600`)."""
    parts = (*CORPORA, "indosum") if name in ARCHIVE_ARTICLES else (name,)
    for part in parts:
        if part == "indosum":
            articles = indosum_articles()
            keep = sorted(articles)[: ARCHIVE_ARTICLES[name]]
            texts = {key: articles[key] for key in keep}
        else:
            texts = corpus(part)
        target = folder / part
        target.mkdir(parents=True, exist_ok=True)
        for key, text in texts.items():
            (target / f"{key}.txt").write_text(text, encoding="utf-8")


class CachedEmbedder:
    """An embedder whose vectors are kept on disk by text (sqlite), so the archive reuses
    the vectors its development passages already got in their own corpora, and a stopped
    build loses nothing: the same chunk and claim texts give the same vectors."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.document_prompt = getattr(inner, "document_prompt", "")  # none before prompts
        path = CACHE / "vectors" / f"{slug(inner.name)}.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, d BLOB)")
        self._lock = threading.Lock()
        self._dim = 0

    @property
    def dim(self) -> int:
        return self.inner.dim or self._dim  # a service's model: known once it answered

    def _key(self, kind: str, text: str) -> str:
        prompt = self.document_prompt if kind == "p" else getattr(self.inner, "query_prompt", "")
        return hashlib.sha1(f"{kind}\0{prompt}\0{text}".encode()).hexdigest()

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(f"SELECT k, d FROM v WHERE k IN ({marks})", part)
                found.update({k: np.frombuffer(d, np.float32) for k, d in rows})
        return found

    def _embed(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(kind, t) for t in texts]
        found = self._lookup(keys)
        todo = [n for n, k in enumerate(keys) if k not in found]
        if todo:
            new = (
                self.inner.embed_passages([texts[n] for n in todo])
                if kind == "p"
                else np.atleast_2d(self.inner.embed_query(texts[todo[0]]))
            )
            with self._lock:
                self._db.executemany(
                    "INSERT OR REPLACE INTO v VALUES (?, ?)",
                    [
                        (keys[n], np.asarray(v, np.float32).tobytes())
                        for n, v in zip(todo, new, strict=True)
                    ],
                )
                self._db.commit()
            found.update(
                {keys[n]: np.asarray(v, np.float32) for n, v in zip(todo, new, strict=True)}
            )
        vectors = np.asarray([found[k] for k in keys], np.float32).reshape(len(keys), -1)
        self._dim = vectors.shape[1]
        return vectors

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.embed_passages(texts)
        return self._embed("p", texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed("q", [text])[0]


def cache_of(name: str, embedder: Embedder) -> Path:
    """The cache folder of one corpus indexed by one embedder."""
    return CACHE / slug(embedder.name) / name


def slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


def index_settings(name: str, embedder: Embedder, **overrides: object) -> Settings:
    """Settings of the cached index of one corpus (built first by `build_index`)."""
    return Settings(data_dir=cache_of(name, embedder) / "index", **overrides)  # type: ignore[arg-type]


def build_index(name: str, embedder: Embedder, **overrides: object) -> Settings:
    """Index one corpus through the real ingest, unless the cache already holds it.
    Killed midway, the next call resumes where it stopped (the ingest is incremental)."""
    settings = index_settings(name, embedder, **overrides)
    done = cache_of(name, embedder) / "done"
    if not done.exists():
        files = cache_of(name, embedder).parent.parent / "files" / name
        if not (files.parent / f"{name}.written").exists():
            write_corpus(name, files)
            (files.parent / f"{name}.written").write_text("ok\n")
        started = time.perf_counter()
        report = ingest_paths(settings, [files], embedder)
        seconds = time.perf_counter() - started
        if report.skipped:
            print(f"{name}: {len(report.skipped)} files skipped, e.g. {report.skipped[:3]}")
        done.write_text(f"ok {seconds:.0f} s\n")
    return settings


def make(spec: str) -> tuple[str, Embedder, dict[str, Any]]:
    """A short label, the (cached) embedder and the settings that reach it, from a SPEC:
    `e5` (the bundled model) or `NAME=URL` (a model behind /v1/embeddings)."""
    if spec == "e5":
        return "e5", CachedEmbedder(LocalEmbedder()), {}
    name, _, url = spec.partition("=")
    overrides = {"embeddings_url": url, "embeddings_model": name, "embeddings_timeout": 600}
    remote = RemoteEmbedder(Settings(**overrides))  # type: ignore[arg-type]
    return name.split(":")[0], CachedEmbedder(remote), overrides


if __name__ == "__main__":
    args = sys.argv[1:]
    spec = args[args.index("--embedder") + 1] if "--embedder" in args else "e5"
    names = [a for a in args if a not in ("--embedder", spec)]
    _, shared, settings_overrides = make(spec)
    for wanted in names or [*CORPORA, "archive"]:
        print(f"indexing {wanted}", flush=True)
        build_index(wanted, shared, **settings_overrides)
