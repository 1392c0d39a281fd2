"""One statement across languages: cross-language joins of the ledger on a development set.

    python bench/crosslang.py [--articles N] [--batch B] [--pairs FILE]

The embedder is the settings' (the bundled model; CLAIMBOT_EMBEDDINGS_URL and
CLAIMBOT_EMBEDDINGS_MODEL for another, as for ingest).

The set is bench/crosslang/set.jsonl (see bench/crosslang/GUIDE.md): real IndoSum articles,
each with an English report of one statement it carries (written for the set) and an
English statement by the same speaker that is a different claim. The Indonesian originals,
the English reports, and, for the monolingual figures in the same run and the same index,
N other IndoSum articles of shared events with another outlet's version of half of them
(bench/ledger_update.py's set), go through the real ingest in shuffled writes of B
articles, each write updating the saved ledger. Then, on the updated ledger and on a
ledger built anew from every stored claim:

- recall: the English reports whose claim is one tracked claim with the Indonesian
  statement it reports;
- precision: of every pair of appearances in one tracked claim that joins an English claim
  of the set to an Indonesian claim, those that join a report to the statement it reports
  (an English different statement joined to anything Indonesian is wrong);
- the monolingual figures of bench/ledger_update.py: copies' claims grouped with the claim
  they copy, and pairs joining two statements of one story.

`--pairs FILE` writes each (English claim, Indonesian claim of the same speaker) pair's
signals as JSON lines, for tuning.
"""

import argparse
import dataclasses
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import CachedEmbedder, indosum_articles, indosum_sources
from ledger_update import day_of, grouping_recall, one_event
from scale import vary

from index.article import document_id
from index.embed import LocalEmbedder, make_embedder
from index.ingest import ingest_paths
from index.ledger import build_ledger, index_bars
from index.settings import Settings
from index.store import Store, StoredChunk
from index.tracked import TrackedClaim, ledger_dir, load_ledger

SET = Path(__file__).resolve().parent / "crosslang" / "set.jsonl"
WRITTEN = "Written Wire (written for this set)"


def load_set() -> list[dict[str, object]]:
    return [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]


def write_article(folder: Path, name: str, text: str, meta: dict[str, str]) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def write_set(
    folder: Path, rows: list[dict[str, object]], texts: dict[str, str]
) -> dict[str, Path]:
    """The Indonesian originals and the English reports, by role ("id-N", "same-N",
    "different-N"), each with a sidecar; the English ones dated the day of the original."""
    sources = indosum_sources()
    paths = {}
    for row in rows:
        key, n = str(row["indosum"]), int(str(row["n"]))
        outlet, url = sources[key]
        day = day_of(key).isoformat()
        title = texts[key].split("\n")[0][:80]
        meta = {"outlet": outlet, "url": url, "date": day, "title": title}
        paths[f"id-{n}"] = write_article(folder, key, texts[key], meta)
        for role in ("same", "different"):
            text = str(row[role])
            meta = {"outlet": WRITTEN, "date": day, "title": text.split("\n")[0]}
            paths[f"{role}-{n}"] = write_article(folder, f"{role}-{n:02d}", text, meta)
    return paths


def crosslang_figures(
    tracked: list[TrackedClaim],
    claims: list[StoredChunk],
    rows: list[dict[str, object]],
    paths: dict[str, Path],
) -> str:
    """Recall and precision of the cross-language joins (see the module docstring)."""
    role_of = {document_id(str(p.resolve())): role for role, p in paths.items()}
    target: set[str] = set()  # the Indonesian claims the English reports report
    english: dict[str, str] = {}  # an English claim of the set -> its role
    for c in claims:
        role = role_of.get(str(c.meta["doc_id"]), "")
        if role.startswith("id-"):
            row = rows[int(role[3:]) - 1]
            if " ".join(str(row["id_quote"]).split()) in " ".join(c.text.split()):
                target.add(c.id)
        elif role:
            english[c.id] = role
    found = set()
    right = wrong = 0
    wrong_pairs = []
    for t in tracked:
        members = [a.claim_id for a in t.appearances]
        for e in (m for m in members if m in english):
            role = english[e]
            n = role.split("-")[1]
            for a in t.appearances:
                if a.language != "id":
                    continue
                good = (
                    role.startswith("same-")
                    and a.claim_id in target
                    and (role_of.get(a.doc_id) == f"id-{n}")
                )
                right += good
                wrong += not good
                if good:
                    found.add(n)
                else:
                    wrong_pairs.append(f"{role} ~ {a.quote[:70]!r}")
    english_pairs = 0  # a report and the different statement of its row in one claim
    for t in tracked:
        roles = [english[a.claim_id] for a in t.appearances if a.claim_id in english]
        rows_of = {
            kind: {r.split("-")[1] for r in roles if r.startswith(kind)}
            for kind in ("same", "different")
        }
        english_pairs += bool(rows_of["same"] & rows_of["different"])
    text = (
        f"cross-language: recall {len(found)}/{len(rows)} ({len(found) / len(rows):.3f});"
        f" joined pairs {right + wrong}, right {right}, wrong {wrong}"
        f" (precision {right / max(right + wrong, 1):.3f}); an English report and the same"
        f" speaker's different English statement in one claim: {english_pairs}"
    )
    return "\n".join([text, *(f"    wrong: {w}" for w in wrong_pairs)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--pairs", type=Path)
    parser.add_argument(
        "--cost", type=int, help="only time what the said vectors add to a write of N articles"
    )
    parser.add_argument(
        "--keep", type=Path, help="write the articles and index here, and keep them"
    )
    parser.add_argument(
        "--rebuilt",
        type=Path,
        help="an index kept by --keep: no ingest, its ledger built anew by this code",
    )
    args = parser.parse_args()
    if args.cost:
        write_cost(args.cost)
        return
    rows = load_set()
    texts = indosum_articles()
    own = {str(r["indosum"]) for r in rows}
    sources = indosum_sources()
    originals = round(args.articles / 2)
    keys = one_event({k: t for k, t in texts.items() if k not in own}, originals)
    outlets = sorted({o for o, _ in sources.values()})
    copies: dict[str, str] = {}
    for n, key in enumerate(keys[: args.articles - originals]):
        copy = f"{int(key.split('-')[0]) + 86400}-versi-{n}"  # as bench/ledger_update.py
        texts[copy] = vary(texts[key], 1 + n % 31)
        sources[copy] = (outlets[n % len(outlets)], f"https://example.org/{copy}")
        keys.append(copy)
        copies[copy] = key
    # CLAIMBOT_EMBEDDINGS_URL: another model; vectors kept by text, as bench/quality.py keeps them
    embedder = CachedEmbedder(make_embedder(Settings()))
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.rebuilt or args.keep or Path(scratch)
        folder = Path(tmp) / "articles"
        folder.mkdir(parents=True, exist_ok=True)
        mono = []
        for key in keys:
            outlet, url = sources[key]
            meta = {"outlet": outlet, "url": url, "date": day_of(key).isoformat()}
            mono.append(write_article(folder, key, texts[key], {**meta, "title": key}))
        paths = write_set(folder, rows, texts)
        order = [*mono, *paths.values()]
        random.Random(2).shuffle(order)
        settings = Settings(data_dir=Path(tmp) / "data")
        seconds: list[float] = []
        for n in range(0, 0 if args.rebuilt else len(order), args.batch):
            report = ingest_paths(settings, order[n : n + args.batch], embedder)
            seconds.append(report.seconds)
            print(f"  write {n // args.batch + 1}: {len(report.indexed)} articles", flush=True)
        mono_docs = {document_id(str(p.resolve())) for p in mono}
        saved = load_ledger(ledger_dir(settings.data_dir))
        assert saved is not None
        store = Store(settings, embedder)
        claims = store.claims()
        started = time.perf_counter()
        bars = index_bars(settings, store)
        built = build_ledger(claims, bars)
        build_seconds = time.perf_counter() - started
        if args.pairs:
            write_pairs(args.pairs, claims, rows, paths)
        apart = [  # the reports, and apart from them the different statements
            (kind, [c for c in claims if role_in_set(c, paths).split("-")[0] != other])
            for kind, other in (("reports only", "different"), ("different only", "same"))
        ]
    print(
        f"{len(mono)} IndoSum articles (half of them another outlet's version) and"
        f" {len(rows)} Indonesian originals with {2 * len(rows)} English reports, in writes"
        f" of {args.batch}; {len(claims)} claims"
    )
    for name, ledger in (("updated", saved[1]), ("built", built)):
        print(f"{name}: {len(ledger)} tracked claims")
        print(f"  {crosslang_figures(ledger, claims, rows, paths)}")
        theirs = [c for c in claims if c.meta["doc_id"] in mono_docs]
        only = {c.id for c in theirs}  # the monolingual set's own appearances
        kept = [
            dataclasses.replace(t, appearances=[a for a in t.appearances if a.claim_id in only])
            for t in ledger
        ]
        print(f"  monolingual: {grouping_recall(kept, theirs, keys, copies, mono)}")
    for kind, subset in apart:  # as `ingest --rebuild` builds it over those claims alone
        print(f"built over the Indonesian articles and the English {kind}:")
        print(f"  {crosslang_figures(build_ledger(subset, bars), subset, rows, paths)}")
    print(
        f"a write, whole ingest s: median {statistics.median(seconds or [0.0]):.1f};"
        f" a full ledger build over the final store {build_seconds:.2f} s"
    )


def write_cost(count: int) -> None:
    """What embedding what each claim says adds to a write: the texts ingest embeds for
    `count` IndoSum articles with and without them, each part embedded and timed."""
    # imported here: the rest of the bench also runs on code from before said vectors
    from index.claims import said_text
    from index.parse import parse_file

    texts = indosum_articles()
    keys = sorted(texts)[:count]
    settings = Settings()
    embedder = LocalEmbedder()
    base: list[str] = []
    said: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for key in keys:
            path = Path(tmp) / f"{key}.txt"
            path.write_text(texts[key], encoding="utf-8")
            parsed = parse_file(settings, path, None)
            every = parsed.texts()
            apart = sum(said_text(c.text) != c.text for c in parsed.claims)
            base += every[: len(every) - apart]
            said += every[len(every) - apart :]
    embedder.embed_passages(base[:8])  # the model loaded before timing
    started = time.perf_counter()
    embedder.embed_passages(base)
    base_s = time.perf_counter() - started
    started = time.perf_counter()
    embedder.embed_passages(said)
    said_s = time.perf_counter() - started
    print(
        f"{count} IndoSum articles: chunks and claims {len(base)} texts, {base_s:.1f} s;"
        f" what the claims say {len(said)} texts more, {said_s:.1f} s"
        f" (+{100 * said_s / base_s:.0f} % embedding time)"
    )


def role_in_set(claim: StoredChunk, paths: dict[str, Path]) -> str:
    """The claim's article's role in the set ("id-3", "same-3", ...), "" for the others."""
    roles = {document_id(str(p.resolve())): role for role, p in paths.items()}
    return roles.get(str(claim.meta["doc_id"]), "")


def write_pairs(
    out: Path, claims: list[StoredChunk], rows: list[dict[str, object]], paths: dict[str, Path]
) -> None:
    """Every English claim of the set against every claim of its row's Indonesian article."""
    role_of = {document_id(str(p.resolve())): role for role, p in paths.items()}
    by_role: dict[str, list[StoredChunk]] = {}
    for c in claims:
        by_role.setdefault(role_of.get(str(c.meta["doc_id"]), ""), []).append(c)
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            n = int(str(row["n"]))
            quote = " ".join(str(row["id_quote"]).split())
            for i in by_role.get(f"id-{n}", []):
                for role in ("same", "different"):
                    for e in by_role.get(f"{role}-{n}", []):
                        same = role == "same" and quote in " ".join(i.text.split())
                        f.write(json.dumps({
                            "n": n, "role": role, "same": same,
                            "en": e.text, "en_speaker": e.meta["speaker"],
                            "id": i.text, "id_speaker": i.meta["speaker"],
                            "cosine": float(e.meta["vector"] @ i.meta["vector"]),
                            "said": float(e.meta["said"] @ i.meta["said"]),
                        }, ensure_ascii=False) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
