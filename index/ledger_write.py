"""Saving the claim ledger at the end of a write: updated or built, glossed, its events.

The write path keeps the ledger (index/ledger.py builds it, index/ledger_update.py adds a
write's claims to it); this step saves it for readers, with the English glosses of its
claims when an LLM is configured (index/gloss.py) and the events of what the write changed
(index/events.py), judged against the ledger saved before, which is read first even on
`ingest --rebuild`.
"""

from index.events import Snapshot, append_events, ledger_events, now_stamp
from index.gloss import add_glosses
from index.ledger import build_ledger, grouping_of, index_bars
from index.ledger_update import update_ledger
from index.settings import Settings
from index.store import Store
from index.tracked import (
    ledger_dir,
    load_grouping,
    load_ledger,
    save_grouping,
    save_ledger,
)


def write_ledger(
    settings: Settings, store: Store, changed: set[str], before: str, now: str, rebuild: bool
) -> list[str]:
    """Save the claim ledger for the store as it is now (generation `now`): the saved one
    with the `changed` documents' claims taken out and put in again when it reflects the
    store as it was before this write (`before`) and was grouped by the same bars, else
    built anew from every claim. Returns
    warnings for the write's report."""
    folder = ledger_dir(settings.data_dir)
    saved = load_ledger(folder)
    earlier = saved[1] if saved is not None else []
    snapshot = Snapshot.of(earlier)  # before the update changes its records
    glosses = {t.text: t.gloss for t in earlier if t.english_gloss()}
    grouping = load_grouping(folder)
    bars = index_bars(settings, store)
    if (
        not rebuild
        and saved is not None
        and saved[0] == before
        and grouping
        and grouping.generation == before
        and grouping.bars == bars.model_dump()  # other bars: every claim grouped anew
    ):
        tracked, vectors, grouping = update_ledger(
            saved[1], saved[2], grouping, store, changed, now, bars
        )
    else:
        claims = store.claims()
        vectors = {c.id: c.meta["vector"] for c in claims}
        tracked, grouping = build_ledger(claims, bars), grouping_of(claims, now, bars)
    warnings = []
    if settings.llm_enabled and settings.llm_gloss:
        warning = add_glosses(settings, tracked, glosses)
        warnings += [warning] if warning else []
    # events first: a write stopped before the ledger is saved finds them in the file's
    # tail next time and does not append them twice
    append_events(folder, ledger_events(snapshot, tracked, now_stamp()))
    save_grouping(folder, grouping)  # first: a ledger saved without its state is rebuilt
    save_ledger(folder, tracked, vectors, now)
    return warnings
