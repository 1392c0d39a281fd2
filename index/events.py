"""What each write changed in the claim ledger, kept as events in an append-only file.

The write path compares the ledger it saves with the one saved before it and appends one
JSON line per change to `ledger/events.jsonl`: a new claim, a claim reported by another
outlet, numbers or quoted wording that now differ between outlets, a new inferred
dispute. The comparison is by appearance (an article's span and its text), not by how
claims are grouped, so `ingest --rebuild` over the same articles adds no event, and a
write that stopped after appending its events and before saving the ledger does not
append them again (event ids are the same for the same change, and the file's tail is
checked for them). Readers (`claims --since`, the API's JSON and Atom feed) only read it.
"""

import datetime
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.tracked import DISPUTES, Appearance, TrackedClaim

EVENTS_FILE = "events.jsonl"
NEW_CLAIM, ANOTHER_OUTLET = "new claim", "another outlet"
NUMBERS_DIFFER, WORDING_DIFFERS, NEW_DISPUTE = "numbers differ", "wording differs", "new dispute"
KINDS = (NEW_CLAIM, ANOTHER_OUTLET, NUMBERS_DIFFER, WORDING_DIFFERS, NEW_DISPUTE)
_FLAG_EVENTS = {"The outlets give different numbers": NUMBERS_DIFFER}
_FLAG_EVENTS["The quoted words differ"] = WORDING_DIFFERS
_TAIL_BYTES = 4_000_000  # how much of the file's end a write checks for its own events


@dataclass
class Snapshot:
    """What events are judged against: the ledger saved before a write, taken before the
    update changes its records."""

    seen: set[tuple[str, str]] = field(default_factory=set)  # (claim id, quote)
    holder: dict[str, int] = field(default_factory=dict)  # claim id -> tracked claim (n)
    docs: list[set[str]] = field(default_factory=list)  # per tracked claim: its articles
    flags: list[set[str]] = field(default_factory=list)  # per tracked claim: its flag kinds
    disputes: set[tuple[str, str]] = field(default_factory=set)  # (denial, claim) claim ids

    @classmethod
    def of(cls, tracked: Sequence[TrackedClaim]) -> "Snapshot":
        snap = cls()
        by_id = {t.id: t for t in tracked}
        for n, t in enumerate(tracked):
            snap.docs.append({a.doc_id for a in t.appearances})
            snap.flags.append(_flag_kinds(t.flags))
            for a in t.appearances:
                snap.seen.add((a.claim_id, a.quote))
                snap.holder[a.claim_id] = n
            for link in t.links:
                other = by_id.get(link["claim"])
                if link["kind"] == DISPUTES and other is not None:
                    snap.disputes |= _pairs(t, other)
        return snap


def _pairs(denial: TrackedClaim, claim: TrackedClaim) -> set[tuple[str, str]]:
    return {(a.claim_id, b.claim_id) for a in denial.appearances for b in claim.appearances}


def _flag_kinds(flags: Iterable[str]) -> set[str]:
    return {kind for f in flags for start, kind in _FLAG_EVENTS.items() if f.startswith(start)}


def ledger_events(
    before: Snapshot, tracked: Sequence[TrackedClaim], at: str
) -> list[dict[str, Any]]:
    """The changes from the ledger of `before` to `tracked`, as events written at `at`."""
    events: list[dict[str, Any]] = []
    by_id = {t.id: t for t in tracked}
    for t in tracked:
        events += _appearance_events(before, t, at)
        for link in t.links:
            other = by_id.get(link["claim"])
            if link["kind"] == DISPUTES and other and not _pairs(t, other) & before.disputes:
                events.append(_dispute(t, other, at))
    return events


def _appearance_events(before: Snapshot, t: TrackedClaim, at: str) -> list[dict[str, Any]]:
    fresh = {a.doc_id for a in t.appearances if (a.claim_id, a.quote) not in before.seen}
    if not fresh:
        return []  # nothing new reported: at most regrouped (a rebuild)
    earlier = {before.holder[a.claim_id] for a in t.appearances if a.claim_id in before.holder}
    known = set().union(*(before.docs[n] for n in earlier)) if earlier else set()
    reports = [r for r in t.reports() if r.doc_id in fresh and r.doc_id not in known]
    events = []
    for n, r in enumerate(reports):
        kind = NEW_CLAIM if n == 0 and not known else ANOTHER_OUTLET
        events.append(_event(kind, t, r, at))
    had = set().union(*(before.flags[n] for n in earlier)) if earlier else set()
    for kind in sorted(_flag_kinds(t.flags) - had):
        flag = next(f for f in t.flags if _flag_kinds([f]) == {kind})
        events.append(_event(kind, t, t.reports()[-1], at, flag))
    return events


def _detail(kind: str, t: TrackedClaim, r: Appearance) -> str:
    where = f"{r.outlet}, {r.date}"
    if kind == NEW_CLAIM:
        return f"New claim by {t.speaker}, reported by {where}."
    return f"{t.speaker}'s claim is now reported by {where} as well ({t.outlets} outlets)."


def _event(kind: str, t: TrackedClaim, r: Appearance, at: str, detail: str = "") -> dict[str, Any]:
    return {
        "id": _event_id(kind, t.id, r.claim_id),
        "at": at,
        "kind": kind,
        "claim": t.id,
        "speaker": t.speaker,
        "text": t.text,
        "outlet": r.outlet,
        "date": r.date,
        "source": r.source,
        "doc_id": r.doc_id,
        "start": r.start,
        "end": r.end,
        "detail": detail or _detail(kind, t, r),
    }


def _dispute(denial: TrackedClaim, claim: TrackedClaim, at: str) -> dict[str, Any]:
    event = _event(NEW_DISPUTE, denial, denial.first_appearance, at)
    event["id"] = _event_id(NEW_DISPUTE, denial.id, claim.id)
    event["disputes"] = claim.id
    event["detail"] = (
        f"{denial.speaker}'s denial is taken to answer {claim.speaker}'s claim "
        f"(inferred by the ledger): “{claim.text}”"
    )
    return event


def _event_id(*parts: str) -> str:
    return "e" + hashlib.sha1("\0".join(parts).encode()).hexdigest()[:16]


def now_stamp() -> str:
    """The time of a write, as events record it (UTC, ISO 8601, seconds)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def append_events(folder: Path, events: Sequence[dict[str, Any]]) -> int:
    """Append the events not in the file's tail already, durably; how many were appended."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / EVENTS_FILE
    known = {e["id"] for e in _read(path, tail=True)}
    new = [e for e in events if e["id"] not in known]
    if not new:
        return 0
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in new)
    with path.open("a", encoding="utf-8") as out:
        out.write(lines)
        out.flush()
        os.fsync(out.fileno())
    return len(new)


def read_events(folder: Path, since: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """The events in the order written; with `since`, those written at or after it."""
    events = _read(folder / EVENTS_FILE)
    if since is None:
        return events
    return [e for e in events if _when(str(e.get("at", ""))) >= since]


def _when(stamp: str) -> datetime.datetime:
    try:
        return as_utc(datetime.datetime.fromisoformat(stamp))
    except ValueError:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)


def parse_since(text: str | None) -> datetime.datetime | None:
    """A `since` value as a UTC time; ValueError names the forms accepted."""
    if not text:
        return None
    try:
        return as_utc(datetime.datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(
            f"since={text!r} is not a date: give YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
        ) from None


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    """A time as UTC; one without a zone is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def _read(path: Path, tail: bool = False) -> list[dict[str, Any]]:
    """Events from the file (or its last few megabytes); a line cut short by a stopped
    write, or otherwise unreadable, is skipped."""
    try:
        with path.open("rb") as handle:
            if tail:
                handle.seek(max(0, path.stat().st_size - _TAIL_BYTES))
            data = handle.read()
    except OSError:
        return []
    events = []
    for line in data.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and "id" in event:
            events.append(event)
    return events
