"""Files the write path keeps beside the store, written so that no reader sees half of one."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PARTIAL = ".partial"  # a write under way (or cut short): never a whole file


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through: written under a temporary name, renamed when the block
    ends; on failure (a full disk) removed, and `path` left as it was."""
    partial = path.with_name(path.name + PARTIAL)
    try:
        with partial.open("wb") as out:
            yield out
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through `atomic_file`."""
    with atomic_file(path) as out:
        out.write(data)
