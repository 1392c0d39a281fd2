"""The data dir's writer lock: one ingest at a time writes to an embedded store.

Two processes writing one Chroma folder can corrupt it (FIELD_NOTES), so every writer holds
this lock; readers only look whether someone holds it.
"""

from filelock import FileLock, Timeout

from index.settings import Settings


def writer_lock(settings: Settings) -> FileLock:
    """The lock a writer takes (non-blocking: a second writer is refused at once)."""
    return FileLock(settings.data_dir / "ingest.lock", timeout=0)


def writing(settings: Settings) -> bool:
    """Whether a writer (any process) holds the lock right now."""
    if not (settings.data_dir / "ingest.lock").exists():
        return False
    lock = writer_lock(settings)
    try:
        lock.acquire()
    except Timeout:
        return True
    lock.release()
    return False
