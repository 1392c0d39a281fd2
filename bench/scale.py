"""Scale benchmarks (issues 5, 13): latency, cold start and memory at 10k, 100k, 300k chunks.

    python bench/scale.py [--sizes 10000,100000,300000] [--modes embedded,server]
                          [--queries 120] [--serve-questions 5] [--no-serve] [--build-only]

For each size (and the seeds-only index as the baseline row, measured in the same run):
warm p50/p95 of the question embedding alone, of retrieval alone
(`HybridRetriever.retrieve`) and of a full evidence-mode answer (`Bot.ask`), in process,
against the embedded store and a real `chroma run` on loopback; the cold costs (Bot start,
the first answer with its claim-ledger build); and the start-up time and peak memory
(VmHWM) of `python -m bot serve` on the seeds and the largest index. Prints Markdown.

The corpus is real text, replicated with variations to reach the larger sizes:
- base articles: the 3 seeds, every distinct FacQA passage (all splits) and every distinct
  IDK-MRC context (valid+test), one article file each, read, chunked and searched for
  claims by the real `load_article`, `chunk_article` and `extract_claims`;
- replica r (1, 2, ...) of a base article: the same text with every integer n written as
  n + r and, by the bits of r, a few wording swaps an outlet might make ("mengatakan" ->
  "menyatakan", ...), under its own title, outlet and date (a `name.json` sidecar), so
  each replica is a different document with its own metadata;
- the index of a size is the first articles of: the seeds, the other base articles in a
  fixed shuffled order, then replica 1 of each in the same order, replica 2, ...
Vectors: every base text (chunk, or claim that is not exactly a chunk, as ingest embeds
them) is embedded for real by the bundled model once and cached in vectors.npz keyed by the
SHA-1 of the embedded text. A replica text equal to its base text gets the base vector (as
the model would); a changed one gets the base vector plus Gaussian noise, renormalised,
with sigma chosen so the mean cosine to the base matches the mean measured on a sample of
changed replica texts embedded for real. A replica whose chunk or claim count differs from
its base is embedded for real. The figures of this calibration are printed with the tables.

Everything built is cached under bench/out/scale/ (git-ignored): the article files, the
vector cache and one index per size; a later run reuses them (delete the folder to rebuild).
"""

import argparse
import ast
import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for bench.run and tests.app_process

from bench.devsets import (  # noqa: E402
    CachedEmbedder,
    facqa_passages,
    indosum_articles,
    indosum_sources,
)
from bench.run import QUESTIONS, percentile  # noqa: E402
from bot.chain import Bot  # noqa: E402
from index.article import Article, load_article  # noqa: E402
from index.chunk import Chunk, chunk_article, searchable_text  # noqa: E402
from index.claims import Claim, extract_claims  # noqa: E402
from index.embed import Embedder, LocalEmbedder, Vectors  # noqa: E402
from index.errors import ArticleError  # noqa: E402
from index.ledger import build_ledger, index_bars  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.store import Entry, Store  # noqa: E402
from tests.app_process import chroma_process, clean_env, free_port, stop  # noqa: E402

try:  # the files readers open at start; absent in a run of the code from before them
    from index.ingest import ingest_paths, write_reader_files
except ImportError:
    from index.ingest import ingest_paths

    write_reader_files = None  # type: ignore[assignment]

OUT = REPO / "bench" / "out" / "scale"
DATA = REPO.parent / "shared" / "data"
RECIPE = "2"  # bump when the corpus or vector recipe changes: cached indexes are rebuilt
SEED = 5
OUTLETS = [
    "ANTARA", "Kompas", "detikcom", "Tempo", "kumparan", "Medcom", "CNN Indonesia",
    "Republika", "Liputan6", "Tribunnews", "Okezone", "Sindonews", "Jawa Pos", "Suara",
]  # fmt: skip
SWAPS = [
    ("mengatakan", "menyatakan"),
    ("merupakan", "adalah"),
    ("sekitar", "kurang lebih"),
    ("kemudian", "lalu"),
    ("sebanyak", "sejumlah"),
    ("tersebut", "itu"),
]
_INTEGER = re.compile(r"(?<![\w.,])\d+(?![\w])")
CALIBRATION_SAMPLE = 300
WRITE_BATCH = 400  # articles per `Store.replace_many`
MiB = 1024 * 1024


# --- corpus -------------------------------------------------------------------------------


def load_facqa() -> tuple[list[str], list[tuple[str, int]]]:
    """FacQA's distinct passages (all splits, in file order) and (question, passage) pairs."""
    passages, rows = facqa_passages()
    ordered = list(passages.values())
    questions = []
    for _, row in rows:
        passage = " ".join(ast.literal_eval(row["passage"]))
        questions.append((" ".join(ast.literal_eval(row["question"])), ordered.index(passage)))
    return ordered, questions


@dataclass(frozen=True)
class Base:
    """A base article: real text; `own_meta` when its metadata stands in the text (seeds)."""

    name: str
    text: str
    own_meta: bool = False
    outlet: str = ""  # a real article's own outlet and URL (IndoSum)
    url: str = ""


def base_articles() -> list[Base]:
    """Seeds first, then IndoSum's real news articles, FacQA passages and IDK-MRC contexts
    in a fixed shuffled order."""
    passages, _ = load_facqa()
    contexts: dict[str, None] = {}
    for split in ("valid", "test"):
        for item in json.loads((DATA / "idk_mrc" / f"{split}.json").read_text("utf-8")):
            contexts.setdefault(item["context"], None)
    others = [Base(f"facqa-{i:04d}", p) for i, p in enumerate(passages)]
    others += [Base(f"idkmrc-{i:04d}", c) for i, c in enumerate(contexts)]
    sources = indosum_sources()
    others += [
        Base(f"indosum-{key}", text, outlet=sources[key][0], url=sources[key][1])
        for key, text in indosum_articles().items()
    ]
    random.Random(SEED).shuffle(others)
    seeds = [
        Base(f"seed-{p.stem}", p.read_text("utf-8"), own_meta=True)
        for p in sorted((REPO / "seeds").glob("*.txt"))
    ]
    return seeds + others


def vary(text: str, replica: int) -> str:
    """Replica `replica` of a text: integers shifted by it, some words swapped by its bits."""
    if replica == 0:
        return text
    text = _INTEGER.sub(lambda m: str(int(m.group()) + replica), text)
    for bit, (old, new) in enumerate(SWAPS):
        if replica >> (bit % 5) & 1:
            text = re.sub(rf"\b{old}\b", new, text)
    return text


def write_article(folder: Path, base: Base, replica: int) -> Path:
    """The article file (and its sidecar) of one replica of one base article."""
    path = folder / f"r{replica:02d}" / f"{base.name}.txt"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = vary(base.text, replica)
    if not (base.own_meta and replica == 0):
        index = int(text_key(base.name)[:8], 16)
        day = date(2023, 1, 1) + timedelta(days=(index * 7 + replica * 3) % 700)
        real = bool(base.outlet) and replica == 0
        meta = {
            "title": " ".join(text.split()[:8]),
            "outlet": base.outlet if real else OUTLETS[(index + replica) % len(OUTLETS)],
            "date": day.isoformat(),
            "url": base.url if real else f"https://example.org/{replica}/{base.name}",
        }
        path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Parsed:
    article: Article
    chunks: list[Chunk]
    claims: list[Claim]

    def texts(self) -> list[str]:
        """What ingest embeds: every chunk, then each claim that is not exactly a chunk."""
        spans = {(c.start, c.end) for c in self.chunks}
        own = [c for c in self.claims if (c.start, c.end) not in spans]
        return [searchable_text(c.text) for c in self.chunks] + [
            searchable_text(c.text) for c in own
        ]

    def vectors(self, rows: Vectors) -> tuple[Vectors, Vectors]:
        """Chunk and claim vectors from the rows of `texts()`; a claim that is a chunk shares it."""
        n = len(self.chunks)
        spans = {(c.start, c.end) for c in self.chunks}
        by_span = {(c.start, c.end): rows[i] for i, c in enumerate(self.chunks)}
        own = [c for c in self.claims if (c.start, c.end) not in spans]
        by_span.update({(c.start, c.end): rows[n + i] for i, c in enumerate(own)})
        claims = np.asarray([by_span[(c.start, c.end)] for c in self.claims], np.float32)
        return rows[:n], claims.reshape(-1, rows.shape[1])


def parse(path: Path) -> Parsed | None:
    """The article, chunks and claims of one file, or None when ingest would skip it."""
    try:
        article = load_article(path, str(path))
    except ArticleError:
        return None
    return Parsed(article, chunk_article(article, Settings().chunk_chars), extract_claims(article))


def parse_all(paths: Sequence[Path]) -> list[Parsed | None]:
    """The real parse step for many files, on both cores."""
    if len(paths) < 200:
        return [parse(p) for p in paths]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        return pool.map(parse, paths, chunksize=64)


def parse_strict(paths: Sequence[Path]) -> list[Parsed]:
    """As `parse_all`, for replicas of articles that parsed: each must parse too."""
    parsed = parse_all(paths)
    failed = [str(path) for path, p in zip(paths, parsed, strict=True) if p is None]
    if failed:
        raise SystemExit(f"replicas that do not parse: {failed[:5]}")
    return [p for p in parsed if p is not None]


# --- vectors ------------------------------------------------------------------------------


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Real embeddings of passages, on disk, keyed by the SHA-1 of the embedded text."""

    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder
        self.vectors: dict[str, Vectors] = {}
        self.embedded = 0  # texts embedded for real in this run
        if path.is_file():
            with np.load(path) as data:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def get(self, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if text_key(t) not in self.vectors))
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            for text, vector in zip(batch, self.embedder.embed_passages(batch), strict=True):
                self.vectors[text_key(text)] = vector
            self.embedded += len(batch)
            print(f"  embedded {self.embedded} of {len(missing)}", file=sys.stderr)
        if missing:
            self.save()
        rows = [self.vectors[text_key(t)] for t in texts]
        return np.asarray(rows, np.float32).reshape(-1, self.embedder.dim)

    def save(self) -> None:
        keys = np.asarray(list(self.vectors))
        np.savez(self.path, keys=keys, vectors=np.asarray(list(self.vectors.values())))


def per_article(rows: Vectors, parsed: Sequence[Parsed]) -> list[Vectors]:
    """Rows for the texts of many articles, split back into one block per article."""
    ends = np.cumsum([len(p.texts()) for p in parsed])
    return np.split(rows, ends[:-1])


def noisy(vector: Vectors, sigma: float, key: str) -> Vectors:
    """The vector plus Gaussian noise (seeded by `key`: the same text, the same vector)."""
    rng = np.random.default_rng(int(key[:15], 16))
    out = vector + rng.normal(0.0, sigma, vector.shape).astype(np.float32)
    return (out / np.linalg.norm(out)).astype(np.float32)


def sigma_for(cosine: float, dim: int) -> float:
    """Noise sigma whose renormalised sum with a unit vector has this expected cosine."""
    return float(np.sqrt((1.0 / cosine**2 - 1.0) / dim))


@dataclass
class Recipe:
    """What the build did, printed with the tables."""

    base_articles: int = 0
    base_texts: int = 0
    skipped: int = 0  # candidates with no article text left, as ingest would skip
    real_cosine: float = 0.0
    sigma: float = 0.0
    synthetic_cosine: float = 0.0
    replica_texts: int = 0
    replica_changed: int = 0
    replica_embedded: int = 0  # replicas whose chunk/claim counts differ from their base
    sizes: dict[str, dict[str, float]] = field(default_factory=dict)


# --- build --------------------------------------------------------------------------------


class Builder:
    """Builds (or reuses) the corpus, the vector cache and one index per size."""

    def __init__(self, embedder: LocalEmbedder) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.recipe_path = OUT / "recipe.json"
        self.recipe = Recipe()
        if self.recipe_path.is_file():
            saved = json.loads(self.recipe_path.read_text("utf-8"))
            if saved.pop("version", None) == RECIPE:
                self.recipe = Recipe(**saved)
            else:  # another recipe: its article files would be reused otherwise
                shutil.rmtree(OUT / "corpus", ignore_errors=True)

    def index_dir(self, label: str) -> Path:
        return OUT / f"index-{label}"

    def ready(self, label: str) -> bool:
        return label in self.recipe.sizes and (self.index_dir(label) / "chroma").is_dir()

    def build(self, targets: dict[str, int]) -> None:
        """Indexes for every label -> target chunks (0: the seeds only) not yet built."""
        todo = {label: n for label, n in targets.items() if not self.ready(label)}
        if not todo:
            return
        started = time.perf_counter()
        bases, base = [], []
        candidates = base_articles()
        paths = [write_article(OUT / "corpus", b, 0) for b in candidates]
        for b, p in zip(candidates, parse_all(paths), strict=True):
            if p is not None and p.chunks:  # ingest skips files with no article text
                bases.append(b)
                base.append(p)
        self.recipe.skipped = len(candidates) - len(bases)
        seeds = sum(b.own_meta for b in bases)
        # the vectors bench/quality.py's indexes already got are reused (CachedEmbedder)
        cache = VectorCache(OUT / "vectors.npz", CachedEmbedder(self.embedder))
        per_base = [len(p.chunks) for p in base]
        plan = plan_articles(per_base, max(todo.values()), seeds)
        used = sorted({i for _, i in plan})  # only the base articles the sizes hold
        got = per_article(
            cache.get([t for i in used for t in base[i].texts()]), [base[i] for i in used]
        )
        empty = np.zeros((0, self.embedder.dim), np.float32)
        base_rows = [empty] * len(base)
        for i, rows in zip(used, got, strict=True):
            base_rows[i] = rows
        self.recipe.base_articles = len(base)
        self.recipe.base_texts = sum(len(p.texts()) for p in base)
        if not self.recipe.sigma:
            self.calibrate(cache, bases, base)
        paths = [write_article(OUT / "corpus", bases[i], r) for r, i in plan if r > 0]
        replicas = iter(parse_strict(paths))
        parsed = [base[i] if r == 0 else next(replicas) for r, i in plan]
        rows = self.replica_rows(cache, plan, parsed, base, base_rows)
        print(f"  parsed and vectors in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for label, target in todo.items():
            self.write_index(label, target, plan, parsed, rows, per_base, seeds)
            self.save()  # each index kept as soon as it is whole: a stopped build loses none

    def calibrate(self, cache: VectorCache, bases: list[Base], base: list[Parsed]) -> None:
        """Measure how far a changed replica text lies from its base, with the real model."""
        first = parse_strict([write_article(OUT / "corpus", b, 1) for b in bases])
        pairs = [
            (t, t0)
            for p, p0 in zip(first, base, strict=True)
            if len(p.texts()) == len(p0.texts())
            for t, t0 in zip(p.texts(), p0.texts(), strict=True)
            if t != t0
        ]
        sample = random.Random(SEED).sample(pairs, min(CALIBRATION_SAMPLE, len(pairs)))
        real = cache.get([t for t, _ in sample])
        references = cache.get([t0 for _, t0 in sample])
        self.recipe.real_cosine = float(np.mean(np.sum(real * references, axis=1)))
        self.recipe.sigma = sigma_for(self.recipe.real_cosine, self.embedder.dim)

    def replica_rows(
        self, cache: VectorCache, plan: list[tuple[int, int]], parsed: list[Parsed],
        base: list[Parsed], base_rows: list[Vectors],
    ) -> list[Vectors]:  # fmt: skip
        """Vectors for every planned article's texts (base: real; replicas: as documented)."""
        out: list[Vectors] = []
        cosines: list[float] = []
        texts = changed = embedded = 0
        misfits = [
            p
            for (r, i), p in zip(plan, parsed, strict=True)
            if r > 0 and len(p.texts()) != len(base[i].texts())
        ]
        refit = iter(per_article(cache.get([t for p in misfits for t in p.texts()]), misfits))
        for (r, i), p in zip(plan, parsed, strict=True):
            if r == 0:
                out.append(base_rows[i])
                continue
            mine, theirs = p.texts(), base[i].texts()
            texts += len(mine)
            if len(mine) != len(theirs):
                out.append(next(refit))
                embedded += 1
                continue
            rows = base_rows[i].copy()
            for k, (t, t0) in enumerate(zip(mine, theirs, strict=True)):
                if t != t0:
                    rows[k] = noisy(base_rows[i][k], self.recipe.sigma, text_key(t))
                    cosines.append(float(rows[k] @ base_rows[i][k]))
                    changed += 1
            out.append(rows)
        if texts >= self.recipe.replica_texts:  # the figures of the largest build
            self.recipe.replica_texts, self.recipe.replica_changed = texts, changed
            self.recipe.replica_embedded = embedded
            self.recipe.synthetic_cosine = float(np.mean(cosines)) if cosines else 1.0
        return out

    def write_index(
        self, label: str, target: int, plan: list[tuple[int, int]], parsed: list[Parsed],
        rows: list[Vectors], per_base: list[int], seeds: int,
    ) -> None:  # fmt: skip
        """The index of one size: the first planned articles up to `target` chunks."""
        folder = self.index_dir(label)
        shutil.rmtree(folder, ignore_errors=True)
        count = len(plan_articles(per_base, target, seeds))
        store = Store(Settings(data_dir=folder), self.embedder, create=True)
        started = time.perf_counter()
        entries = []
        for p, vectors in zip(parsed[:count], rows[:count], strict=True):
            chunk_vectors, claim_vectors = p.vectors(vectors)
            entries.append(Entry(p.article, p.chunks, chunk_vectors, p.claims, claim_vectors))
        for start in range(0, len(entries), WRITE_BATCH):
            store.replace_many(entries[start : start + WRITE_BATCH])
        written = time.perf_counter()
        if write_reader_files is not None:  # as ingest does at the end of its run
            write_reader_files(Settings(data_dir=folder), store, [], [], "", rebuild=True)
        self.recipe.sizes[label] = {
            "articles": count,
            "real_articles": sum(1 for r, _ in plan[:count] if r == 0),
            "chunks": sum(len(p.chunks) for p in parsed[:count]),
            "claims": sum(len(p.claims) for p in parsed[:count]),
            "write_seconds": written - started,
            "reader_files_seconds": time.perf_counter() - written,
        }
        print(f"  index {label}: {self.recipe.sizes[label]}", file=sys.stderr)
        del store
        gc.collect()

    def save(self) -> None:
        data = {"version": RECIPE, **self.recipe.__dict__}
        self.recipe_path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def plan_articles(per_base: list[int], target: int, seeds: int) -> list[tuple[int, int]]:
    """(replica, base index) of the articles to index, in order, until `target` chunks.

    A target of 0 means the seeds alone; chunk counts of replicas are taken as their
    base's (the real counts are reported).
    """
    if target == 0:
        return [(0, i) for i in range(seeds)]
    plan: list[tuple[int, int]] = []
    total = replica = 0
    while total < target:
        for i, n in enumerate(per_base):
            if total >= target:
                break
            plan.append((replica, i))
            total += n
        replica += 1
    return plan


# --- measure ------------------------------------------------------------------------------


def query_set(n: int) -> tuple[list[str], list[str]]:
    """(warm-up, measured) questions: the latency bench's 10, then FacQA questions."""
    _, facqa = load_facqa()
    questions = list(dict.fromkeys(q for q, _ in facqa))
    random.Random(SEED).shuffle(questions)
    measured = (QUESTIONS + questions[10:])[:n]
    return questions[:10], measured


def timed(call: Callable[[], Any]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


@dataclass
class Cell:
    """Figures of one index size in one store mode."""

    label: str
    mode: str
    start_s: float = 0.0
    ledger_s: float = 0.0
    first_s: float = 0.0
    embedding: list[float] = field(default_factory=list)
    retrieval: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after


def measure(settings: Settings, embedder: LocalEmbedder, label: str, mode: str,
            questions: tuple[list[str], list[str]]) -> Cell:  # fmt: skip
    """Cold start, first answer (with the ledger build), then warm retrieval and answers."""
    cell = Cell(label, mode)
    warm, measured = questions
    started = time.perf_counter()
    bot = Bot(settings, embedder)
    cell.start_s = time.perf_counter() - started
    cell.first_s = timed(lambda: bot.ask(warm[0])) / 1000
    # The first answer built the ledger; the same build again, on its own:
    cell.ledger_s = (
        timed(lambda: build_ledger(bot.store.claims(), index_bars(bot.settings, bot.store))) / 1000
    )
    for question in warm:
        bot.ask(question)
    before = os.getloadavg()[0]
    for q in measured:  # side by side: each question's three timings under the same load
        cell.embedding.append(timed(lambda q=q: embedder.embed_query(searchable_text(q))))
        cell.retrieval.append(timed(lambda q=q: bot.retriever.retrieve(q)))
        cell.full.append(timed(lambda q=q: bot.ask(q)))
    cell.load = (before, os.getloadavg()[0])
    return cell


@contextlib.contextmanager
def store_copy(source: Path, name: str) -> Iterator[Path]:
    """A copy of an index folder, so no two processes ever open one Chroma folder."""
    folder = OUT / "tmp" / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder / "data", ignore=shutil.ignore_patterns("*.lock"))
    try:
        yield folder / "data"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def in_mode(index: Path, mode: str, name: str) -> Iterator[tuple[Settings, int]]:
    """Settings for the index in a store mode, and the PID of the Chroma server (or 0)."""
    if mode == "embedded":
        yield Settings(data_dir=index), 0
        return
    with store_copy(index, name) as data, chroma_process(data / "chroma") as (url, chroma):
        yield Settings(data_dir=data, chroma_url=url), chroma.pid


NEW_ARTICLE = (
    "Wali Kota Sukamaju Rina Hartati meresmikan jembatan gantung Cibeureum pada Senin. "
    '"Jembatan ini memangkas waktu tempuh warga ke pasar menjadi sepuluh menit," kata Rina.'
)
NEW_QUESTION = "Siapa yang meresmikan jembatan gantung Cibeureum?"


@dataclass
class Write:
    """One article written into a running reader's index: what the writer and reader paid."""

    label: str
    ingest_s: float
    pickup_s: float
    found: bool


def measure_write(index: Path, label: str, embedder: LocalEmbedder) -> Write:
    """On a copy of the index: a reader running, one new article ingested, the reader's
    refresh, and whether its next answer cites the new article."""
    with store_copy(index, f"write-{label}") as data:
        settings = Settings(data_dir=data)
        bot = Bot(settings, embedder)
        bot.ask(NEW_QUESTION)
        folder = data.parent / "new"
        folder.mkdir()
        path = folder / "cibeureum.txt"
        path.write_text(NEW_ARTICLE, "utf-8")
        ingest_s = timed(lambda: ingest_paths(settings, [folder], embedder)) / 1000
        pickup_s = timed(lambda: bot.refresh(force=True)) / 1000
        answer = bot.ask(NEW_QUESTION)
        found = bool(answer.citations) and answer.citations[0].source == str(path)
        return Write(label, ingest_s, pickup_s, found)


def print_writes(writes: list[Write], recipe: Recipe) -> None:
    print("### One article written while a reader runs (embedded)\n")
    print(
        "On a copy of each index: a `Bot` answering, then `ingest_paths` of one new "
        "article, then the reader's `refresh(force=True)`; found: the next answer's first "
        "citation is the new article\n"
    )
    print("| index | ingest s | reader picks it up s | found |\n|---|---|---|---|")
    for w in writes:
        label = size_label(recipe, w.label)
        print(f"| {label} | {w.ingest_s:.2f} | {w.pickup_s:.2f} | {w.found} |")
    print()


def memory(pid: int) -> dict[str, float]:
    """Peak and current resident memory of a process, MiB (from /proc/PID/status)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmHWM", "VmRSS")}


@dataclass
class Serve:
    """`python -m bot serve` on one index: start-up time and memory after a few answers."""

    label: str
    mode: str
    up_s: float  # process start to /healthz answering 200
    first_s: float  # the first answer (/api/ask), asked right after that
    page_s: float  # process start to the page being ready
    app: dict[str, float]
    chroma: dict[str, float]
    ups: tuple[float, ...] = ()  # every run's /healthz time, when it ran more than once


def median_serve(runs: list[Serve]) -> Serve:
    """Several starts of one cell as one row: the median of each time (a start on this
    shared machine varies by a second from one run to the next), the largest memory."""
    last = runs[-1]
    return Serve(
        last.label,
        last.mode,
        statistics.median(r.up_s for r in runs),
        statistics.median(r.first_s for r in runs),
        statistics.median(r.page_s for r in runs),
        max((r.app for r in runs), key=lambda m: m["VmRSS"]),
        max((r.chroma for r in runs), key=lambda m: m.get("VmHWM", 0)),
        tuple(r.up_s for r in runs),
    )


def measure_serve(index: Path, label: str, mode: str, questions: list[str]) -> Serve:
    """Start the real app; time /healthz's first 200 and the first answer through /api/ask
    right after it, then the page being ready; ask over HTTP as the page does; read its
    memory."""
    import subprocess

    import httpx
    from gradio_client import Client

    with in_mode(index, mode, f"serve-{label}") as (settings, chroma_pid):
        env = {"CLAIMBOT_CHROMA_URL": settings.chroma_url} if settings.chroma_url else {}
        with store_copy(index, f"app-{label}") as data:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            folder = data if mode == "embedded" else settings.data_dir
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--port", str(port), "--data-dir",
                 str(folder)],
                cwd=REPO, env=clean_env(**env), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                health = _poll(url, process, lambda body: True)
                up = time.perf_counter() - started
                first = timed(
                    lambda: httpx.post(url + "/api/ask", json={"question": questions[0]},
                                       timeout=120).raise_for_status()
                ) / 1000  # fmt: skip
                if "page" in health:
                    _poll(url, process, lambda body: body.get("page") == "ready")
                page = time.perf_counter() - started
                client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
                for question in questions:
                    client.predict(question, [], api_name="/ask")
                chroma = memory(chroma_pid) if chroma_pid else {}
                return Serve(label, mode, up, first, page, memory(process.pid), chroma)
            finally:
                stop(process)


def _poll(url: str, process: Any, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """/healthz's body once it answers 200 and `done` holds."""
    import httpx

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited with {process.returncode}")
        try:
            reply = httpx.get(url + "/healthz", timeout=5)
            if reply.status_code == 200 and done(reply.json()):
                return dict(reply.json())
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    raise SystemExit("serve did not come up in 600 s")


# --- report -------------------------------------------------------------------------------


def size_label(recipe: Recipe, label: str) -> str:
    size = recipe.sizes[label]
    real = size.get("real_articles", size["articles"])
    return (
        f"{label} ({size['chunks']:.0f} chunks, {size['articles']:.0f} articles ({real:.0f} real), "
        + (f"{size['claims']:.0f} claims)")
    )


def print_latency(cells: list[Cell], recipe: Recipe, n: int) -> None:
    print("### Warm query latency at scale, evidence mode, in process\n")
    print(
        f"{n} questions per cell (the 10 of the latency bench, then FacQA questions) after "
        "10 warm-up questions; each question timed three ways in a row: embedding the "
        "question alone (`embed_query`), retrieval alone (`retriever.retrieve`: embedding, "
        "Chroma query, BM25, fusion) and the full answer (`Bot.ask`); the seeds-only index "
        "is the baseline row; load: the 1-minute load average before and after the cell\n"
    )
    print(
        "| index | store | embedding p50 / p95 ms | retrieval p50 / p95 ms "
        "| full answer p50 / p95 ms | full answer max ms | load |\n|---|---|---|---|---|---|---|"
    )
    for c in cells:
        print(
            f"| {size_label(recipe, c.label)} | {c.mode} | {spread(c.embedding)} "
            f"| {spread(c.retrieval)} | {spread(c.full)} | {max(c.full):.0f} "
            f"| {c.load[0]:.1f} → {c.load[1]:.1f} |"
        )
    print()


def spread(values: list[float]) -> str:
    return f"{percentile(values, 50):.0f} / {percentile(values, 95):.0f}"


def print_cold(cells: list[Cell], recipe: Recipe) -> None:
    print("### Cold costs at scale\n")
    print(
        "Bot start: `Bot(settings, embedder)` with the model already loaded (opens the "
        "store and whatever retrieval holds in memory); first answer: the first `ask`, "
        "which gets the claim ledger (built from the stored claims, or loaded from the "
        "ledger files the write path saved); ledger build: building it alone from the "
        "stored claims (read, group, link), timed right after\n"
    )
    print(
        "| index | store | Bot start s | first answer s | ledger build s |\n|---|---|---|---|---|"
    )
    for c in cells:
        print(
            f"| {size_label(recipe, c.label)} | {c.mode} | {c.start_s:.2f} | {c.first_s:.2f} "
            f"| {c.ledger_s:.2f} |"
        )
    print()


def print_serve(serves: list[Serve], recipe: Recipe, n: int, runs: int) -> None:
    print("### `python -m bot serve` at scale\n")
    print(
        "/healthz s: process start to `/healthz` answering 200; first answer s: one "
        "question through `/api/ask` right after; page s: process start to the page being "
        f"up (the same moment as /healthz where the page is built before the server "
        f"answers); then {n} questions through the page's own chat event (`/ask`, "
        f"gradio_client); memory from /proc/PID/status after them; each cell started {runs} "
        "time(s): the median time (the range of /healthz), the largest memory\n"
    )
    print(
        "| index | store | /healthz s | first answer s | page s | serve VmHWM MiB "
        "| serve VmRSS MiB | Chroma server VmHWM MiB |\n|---|---|---|---|---|---|---|---|"
    )
    for s in serves:
        chroma = f"{s.chroma['VmHWM']:.0f}" if s.chroma else "—"
        ups = f" ({min(s.ups):.1f}–{max(s.ups):.1f})" if len(s.ups) > 1 else ""
        print(
            f"| {size_label(recipe, s.label)} | {s.mode} | {s.up_s:.1f}{ups} | {s.first_s:.2f} "
            f"| {s.page_s:.1f} | {s.app['VmHWM']:.0f} | {s.app['VmRSS']:.0f} | {chroma} |"
        )
    print()


def print_recipe(recipe: Recipe) -> None:
    print("### How the corpus and vectors were built\n")
    print(
        f"- {recipe.base_articles} base articles (3 seeds, IndoSum's real news articles with "
        f"their own outlet and URL, the distinct FacQA passages and IDK-MRC contexts; "
        f"{recipe.skipped} more had no article text left, skipped as "
        f"ingest skips them), {recipe.base_texts} texts embedded for real (chunks and claims "
        "that are not a chunk), cached by the SHA-1 of the text\n"
        f"- noise: sigma {recipe.sigma:.5f}, from a mean cosine of {recipe.real_cosine:.4f} "
        f"between {CALIBRATION_SAMPLE} changed replica texts embedded for real and their base; "
        f"mean cosine of the synthetic vectors to their base {recipe.synthetic_cosine:.4f} "
        "(0: no replica built)\n"
        f"- replicas: {recipe.replica_texts} texts, {recipe.replica_changed} changed (noisy "
        f"vector), the rest equal to their base (its vector); {recipe.replica_embedded} "
        "replica articles whose chunk or claim count differs from their base embedded for "
        "real\n"
        + "".join(
            f"- index {label}: written by `Store.replace_many` in batches of {WRITE_BATCH} "
            f"articles in {size['write_seconds']:.0f} s; reader files written in "
            f"{size.get('reader_files_seconds', 0):.1f} s\n"
            for label, size in recipe.sizes.items()
        )
    )


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument(
        "--server-sizes", default="", help="measure the server mode at these sizes only"
    )
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--serve-questions", type=int, default=5)
    parser.add_argument(
        "--serve-runs", type=int, default=3, help="start `serve` this many times per cell"
    )
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="build the indexes, then stop")
    args = parser.parse_args()
    for key in [k for k in os.environ if k.startswith(("OPENAI_", "CLAIMBOT_"))]:
        del os.environ[key]  # evidence mode, default settings, whatever the shell has
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    sizes = {"seeds": 0} | {f"{int(s) // 1000}k": int(s) for s in args.sizes.split(",")}
    modes = args.modes.split(",")
    embedder = LocalEmbedder()
    embedder.embed_query("warm up")
    builder = Builder(embedder)
    load = os.getloadavg()
    started = time.perf_counter()
    builder.build(sizes)
    build_s = time.perf_counter() - started
    if args.build_only:
        print_recipe(builder.recipe)
        return
    questions = query_set(args.queries)
    cells = []
    server_at = {f"{int(s) // 1000}k" for s in args.server_sizes.split(",") if s}
    for label in sizes:
        for mode in modes:
            if mode == "server" and server_at and label not in server_at:
                continue
            with in_mode(builder.index_dir(label), mode, label) as (settings, _):
                cells.append(measure(settings, embedder, label, mode, questions))
            print(f"  measured {label} {mode}", file=sys.stderr)
    writes = [measure_write(builder.index_dir(label), label, embedder) for label in sizes]
    serves = []
    if not args.no_serve:
        largest = max(server_at or sizes, key=lambda k: sizes[k])
        asked = questions[1][: args.serve_questions]
        runs = [(label, "embedded") for label in sizes] + [(largest, m) for m in modes[1:]]
        # Once untimed: the first process after a while reads every library from disk.
        measure_serve(builder.index_dir("seeds"), "seeds", "embedded", asked)
        for label, mode in runs:
            starts = [
                measure_serve(builder.index_dir(label), label, mode, asked)
                for _ in range(args.serve_runs)
            ]
            serves.append(median_serve(starts))
            print(f"  served {label} {mode}", file=sys.stderr)
    print(
        f"## Scale run of {date.today()} on {platform.node()} ({platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}); "
        f"build {build_s:.0f} s, whole run {time.perf_counter() - started:.0f} s; load "
        f"average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (the "
        "machine is shared)\n"
    )
    print_latency(cells, builder.recipe, len(questions[1]))
    print_cold(cells, builder.recipe)
    print_writes(writes, builder.recipe)
    if serves:
        print_serve(serves, builder.recipe, args.serve_questions, args.serve_runs)
    print_recipe(builder.recipe)


if __name__ == "__main__":
    main()
