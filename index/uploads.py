"""Uploads: files a user hands over, kept under the data dir and indexed like any other.

The page gives files with names the user chose; they are copied into `data_dir/uploads/`
under a safe name that never replaces a different earlier upload (a second `report.txt`
with other content becomes `report-2.txt`; the same content again reuses the first copy),
then go through the same `ingest_paths` the CLI uses.
"""

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from index.embed import Embedder
from index.errors import ArticleError
from index.ingest import IngestReport, Progress, ingest_paths
from index.settings import Settings

_SAFE_NAME = re.compile(r"[^\w.-]+")
MAX_SAME_NAME = 9_999


def upload_target(folder: Path, upload: Path) -> Path:
    """Where an upload is kept: its safe name, or the next free `-N` variant of it."""
    name = _SAFE_NAME.sub("_", upload.name).lstrip(".") or "upload.txt"
    stem, suffix = Path(name).stem, Path(name).suffix
    data = upload.read_bytes()
    for n in range(1, MAX_SAME_NAME + 1):
        target = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        if not target.exists() or target.read_bytes() == data:
            return target
    raise ArticleError(
        f"{name}: {MAX_SAME_NAME:,} uploads already have this name; rename the file."
    )


def ingest_uploads(
    settings: Settings,
    uploads: Sequence[Path],
    embedder: Embedder,
    *,
    progress: Progress | None = None,
) -> IngestReport:
    """Keep copies of the uploaded files and index them."""
    folder = settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    targets = []
    for upload in uploads:
        target = upload_target(folder, upload)
        if not target.exists():
            shutil.copyfile(upload, target)
        targets.append(target)
    return ingest_paths(settings, targets, embedder, progress=progress)
