"""Files the write path keeps beside the store, written so that no reader sees half of one."""

import os
from pathlib import Path

PARTIAL = ".partial"  # a write under way (or cut short): never a whole file


def write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name, then rename; on failure (a full disk) remove it."""
    partial = path.with_name(path.name + PARTIAL)
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
