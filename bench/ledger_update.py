"""The ledger kept up to date write by write against the ledger built from every claim.

    python bench/ledger_update.py [--articles N] [--batch B] [--reprints SHARE] [--keep DIR]

Real IndoSum articles that report the same events (two or more name pairs in common, at
most three days apart), with their outlet, URL and date in a sidecar, and for a share of
them another outlet's version a day later (numbers and some words changed, as
bench/scale.py makes its replicas), go through the real ingest in batches of B in a
shuffled order, as a newsroom adds them; each write adds its claims to the saved ledger
(index/ledger_update.py). At the end the ledger is built anew from every stored claim, as
`ingest --rebuild` would, and the two are compared: the pairs of appearances each calls
one claim (precision and recall of the updated ledger's pairs against the built one's),
the tracked claims that are exactly the same, and the dispute links. Also timed: the
ledger step of each write (update) against a full build over the same store.
"""

import argparse
import datetime
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devsets import indosum_articles, indosum_sources
from scale import vary

from index.article import document_id
from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.ledger import build_ledger, index_bars
from index.ledger_update import update_ledger
from index.settings import Settings
from index.store import Store, StoredChunk
from index.tracked import TrackedClaim, ledger_dir, load_grouping, load_ledger


def pairs(tracked: list[TrackedClaim]) -> set[frozenset[str]]:
    return {
        frozenset(p)
        for t in tracked
        for p in itertools.combinations(sorted(a.claim_id for a in t.appearances), 2)
    }


def links(tracked: list[TrackedClaim]) -> set[tuple[frozenset[str], str, frozenset[str]]]:
    """Each link as (its claim's appearances, kind, the other claim's appearances)."""
    members = {t.id: frozenset(a.claim_id for a in t.appearances) for t in tracked}
    return {
        (members[t.id], link["kind"], members.get(link["claim"], frozenset()))
        for t in tracked
        for link in t.links
    }


_CAPITAL_PAIR = re.compile(r"\b([A-Z]\w+ [A-Z]\w+)")


def day_of(key: str) -> datetime.date:
    """IndoSum ids start with the article's Unix time."""
    return datetime.datetime.fromtimestamp(int(key.split("-")[0]), datetime.UTC).date()


def one_event(texts: dict[str, str], wanted: int) -> list[str]:
    """Articles that report the same events (two or more name pairs in common, at most
    three days apart), cluster by cluster, shuffled so one event spans several writes."""
    names = {k: set(_CAPITAL_PAIR.findall(t[:1500])) for k, t in texts.items()}
    holding: dict[str, list[str]] = {}
    for key, found in names.items():
        for name in found:
            holding.setdefault(name, []).append(key)
    parent = {k: k for k in texts}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for key, found in names.items():
        shared: dict[str, int] = {}
        for name in found:
            for other in holding[name][:200]:
                shared[other] = shared.get(other, 0) + 1
        for other, n in shared.items():
            if other != key and n >= 2 and abs((day_of(key) - day_of(other)).days) <= 3:
                parent[root(other)] = root(key)
    clusters: dict[str, list[str]] = {}
    for key in sorted(texts):
        clusters.setdefault(root(key), []).append(key)
    chosen: list[str] = []
    for members in sorted(clusters.values(), key=lambda m: (-len(m), m[0])):
        if len(members) > 1 and len(chosen) + len(members) <= wanted:
            chosen += members
    random.Random(0).shuffle(chosen)
    return chosen


def grouping_recall(
    tracked: list[TrackedClaim],
    claims: list[StoredChunk],
    keys: list[str],
    copies: dict[str, str],
    paths: list[Path],
) -> str:
    """How often another outlet's version of a claim is grouped with the claim it copies
    (recall: the copy's n-th claim with the original's n-th, where both articles give the
    same number of claims), and how many same-claim pairs join two different statements
    of one story (an original's claims with each other or with a copy's other claims)."""
    key_of = {document_id(str(p.resolve())): k for p, k in zip(paths, keys, strict=True)}
    story = {k: copies.get(k, k) for k in keys}
    by_doc: dict[str, list[StoredChunk]] = {}
    for claim in claims:
        by_doc.setdefault(key_of[claim.meta["doc_id"]], []).append(claim)
    for found in by_doc.values():
        found.sort(key=lambda c: int(c.meta["start"]))
    home = {a.claim_id: t.id for t in tracked for a in t.appearances}
    place = {
        c.id: (story[key_of[c.meta["doc_id"]]], n)
        for found in by_doc.values()
        for n, c in enumerate(found)
    }
    counterparts = grouped = uneven = 0
    for copy, original in copies.items():
        if copy not in by_doc or original not in by_doc:
            continue
        mine, theirs = by_doc[copy], by_doc[original]
        if len(mine) != len(theirs):
            uneven += 1
            continue
        for a, b in zip(mine, theirs, strict=True):
            counterparts += 1
            grouped += home.get(a.id) is not None and home.get(a.id) == home.get(b.id)
    merged = sum(
        place[a][0] == place[b][0] and place[a][1] != place[b][1]
        for pair in pairs(tracked)
        for a, b in [sorted(pair)]
    )
    return (
        f"copies' claims grouped with the claim they copy {grouped}/{counterparts}"
        f" ({grouped / max(counterparts, 1):.3f}; {uneven} copies with another claim count"
        f" left out); pairs joining two statements of one story {merged}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument(
        "--reprints",
        type=float,
        default=0.5,
        help="the share of articles that are another outlet's version of one of the others",
    )
    parser.add_argument(
        "--keep", type=Path, help="write the articles and index here, and keep them"
    )
    args = parser.parse_args()
    texts = indosum_articles()
    sources = indosum_sources()
    originals = round(args.articles * (1 - args.reprints))
    keys = one_event(texts, originals)
    outlets = sorted({o for o, _ in sources.values()})
    copies: dict[str, str] = {}  # a copy's key -> the key of the article it copies
    for n, key in enumerate(keys[: args.articles - originals]):
        # another outlet's version a day later: numbers and some words changed (bench/scale.py)
        copy = f"{int(key.split('-')[0]) + 86400}-versi-{n}"
        texts[copy] = vary(texts[key], 1 + n % 31)
        sources[copy] = (outlets[n % len(outlets)], f"https://example.org/{copy}")
        keys.append(copy)
        copies[copy] = key
    random.Random(1).shuffle(keys)
    embedder = LocalEmbedder()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        folder = Path(tmp) / "articles"
        folder.mkdir(parents=True)
        paths = []
        for key in keys:
            path = folder / f"{key}.txt"
            path.write_text(texts[key], encoding="utf-8")
            outlet, url = sources[key]
            sidecar = {
                "outlet": outlet,
                "url": url,
                "date": day_of(key).isoformat(),
                "title": texts[key].split("\n")[0][:80],
            }
            path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")
            paths.append(path)
        settings = Settings(data_dir=Path(tmp) / "data")
        write_seconds = []
        for n in range(0, len(paths), args.batch):
            report = ingest_paths(settings, paths[n : n + args.batch], embedder)
            write_seconds.append(report.seconds)
            print(
                f"  write {n // args.batch + 1}: {len(report.indexed)} articles, "
                f"{report.seconds:.1f} s",
                flush=True,
            )
        folder = ledger_dir(settings.data_dir)
        saved, grouping = load_ledger(folder), load_grouping(folder)
        assert saved is not None and grouping is not None
        updated = saved[1]
        store = Store(settings, embedder)
        started = time.perf_counter()
        claims = store.claims()
        built = build_ledger(claims, index_bars(settings, store))
        build_seconds = time.perf_counter() - started
        last = {document_id(str(p.resolve())) for p in paths[-args.batch :]}
        started = time.perf_counter()
        update_ledger(
            saved[1], saved[2], grouping, store, last, saved[0], index_bars(settings, store)
        )
        update_seconds = time.perf_counter() - started
    got, want = pairs(updated), pairs(built)
    same = {frozenset(a.claim_id for a in t.appearances) for t in updated} & {
        frozenset(a.claim_id for a in t.appearances) for t in built
    }
    lu, lb = links(updated), links(built)
    print(f"{len(keys)} IndoSum articles in writes of {args.batch}; {len(claims)} claims")
    print(f"tracked claims: updated {len(updated)}, built {len(built)}, the same {len(same)}")
    print(
        f"same-claim pairs: updated {len(got)}, built {len(want)}, both {len(got & want)}"
        f" (precision {len(got & want) / max(len(got), 1):.3f},"
        f" recall {len(got & want) / max(len(want), 1):.3f})"
    )
    print(f"links: updated {len(lu)}, built {len(lb)}, both {len(lu & lb)}")
    for name, ledger in (("updated", updated), ("built", built)):
        print(f"{name}: {grouping_recall(ledger, claims, keys, copies, paths)}")
    print(
        f"a write of {args.batch} articles, whole ingest s: median"
        f" {statistics.median(write_seconds):.1f}; its ledger step over the final store:"
        f" update {update_seconds:.2f} s, full build {build_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
