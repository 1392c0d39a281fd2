"""What the ledger's newer steps cost a write, on a kept index (issue 35, points 1, 3, 4).

    python bench/ledger_costs.py DATA_DIR [--repeat N]

DATA_DIR is an index written by the real ingest, e.g. the one
`bench/ledger_update.py --keep DIR` leaves in DIR/data. Timed over its stored claims and
saved ledger, median of N runs: the full build (what `ingest --rebuild` does), and within a
write the steps this issue added: the speakers' other names (point 1, inside build and
update), the events judged against the ledger saved before (point 3: the snapshot, the
comparison for an unchanged ledger and for a first write where every claim is new, the
append to the file), and, on the read path, tracing a quote (point 4), which adds nothing
to a write. Offline no gloss is made; with an LLM a write adds one request per 20 new
claims (not timed here: it is the model's time).
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.ledger import LedgerIndex  # noqa: E402
from bot.provenance import trace  # noqa: E402
from index.embed import LocalEmbedder  # noqa: E402
from index.events import Snapshot, append_events, ledger_events, now_stamp  # noqa: E402
from index.ledger import build_ledger, index_bars  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.speakers import name_speakers, speaker_key, unify_keys  # noqa: E402
from index.store import Store  # noqa: E402
from index.tracked import ledger_dir, load_ledger  # noqa: E402


def timed(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    embedder = LocalEmbedder()
    settings = Settings(data_dir=args.data_dir)
    store = Store(settings, embedder)
    claims, bars = store.claims(), index_bars(settings, store)
    saved = load_ledger(ledger_dir(args.data_dir))
    assert saved is not None, f"no saved ledger in {args.data_dir}"
    tracked = saved[1]
    canonical = unify_keys({speaker_key(t.speaker) for t in tracked})
    before = Snapshot.of(tracked)
    events = ledger_events(Snapshot(), tracked, now_stamp())
    rows = [
        ("full build (ingest --rebuild)", lambda: build_ledger(claims, bars)),
        ("point 1: speakers' other names", lambda: name_speakers(tracked, canonical)),
        ("point 3: snapshot of the saved ledger", lambda: Snapshot.of(tracked)),
        ("point 3: events, nothing changed", lambda: ledger_events(before, tracked, "")),
        ("point 3: events, every claim new", lambda: ledger_events(Snapshot(), tracked, "")),
    ]
    print(f"{len(claims)} claims, {len(tracked)} tracked claims, {len(events)} first events\n")
    print("| step | median s |\n|---|---|")
    for label, step in rows:
        print(f"| {label} | {timed(step, args.repeat):.4f} |")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seconds = timed(lambda: append_events(folder, events), 1)
        again = timed(lambda: append_events(folder, events), args.repeat)
    print(f"| point 3: append {len(events)} events to a new file | {seconds:.4f} |")
    print(f"| point 3: the same again (found in the file's tail, none appended) | {again:.4f} |")
    index = LedgerIndex(saved[1], saved[2])
    quote = tracked[len(tracked) // 2].text[:120]
    seconds = timed(lambda: trace(index, embedder, quote), args.repeat)
    print(f"| point 4 (read path): trace a quote | {seconds:.4f} |")


if __name__ == "__main__":
    main()
