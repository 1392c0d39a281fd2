"""Uploads: files a user hands over, kept under the data dir and indexed like any other.

The page gives files with names the user chose; they are copied into `data_dir/uploads/`
under a safe name that never replaces a different earlier upload (a second `report.txt`
with other content becomes `report-2.txt`; the same content and details again reuse the
first copy). Outlet, date and URL, with who uploaded it and when, go into the article's
sidecar (`report-2.json`). Sizes are checked before anything is kept, and each file is
written under a temporary name and renamed, so a rejected or interrupted upload leaves
nothing behind. Uploads kept but not yet indexed (the server died) are indexed at the
next start. Then the same `ingest_paths` the CLI uses.
"""

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from index.article import file_sha, metadata_value, plain_text
from index.client import check_room, write_failure
from index.embed import Embedder
from index.errors import ArticleError
from index.files import PARTIAL, write_atomically
from index.ingest import IngestReport, Progress, ingest_paths
from index.settings import Settings

_SAFE_NAME = re.compile(r"[^\w.-]+")
MAX_SAME_NAME = 9_999
FOLDER = "uploads"


@dataclass(frozen=True)
class Details:
    """What the uploader says about the articles: each part optional, all validated."""

    outlet: str = ""
    date: str = ""
    url: str = ""

    @classmethod
    def checked(cls, outlet: str = "", date: str = "", url: str = "") -> "Details":
        """Details from form fields, or an ArticleError that says which field is wrong.
        Outlet and URL follow the sidecar's rules; the date must be exactly YYYY-MM-DD."""
        fields = {"outlet": outlet, "url": url}
        for key, value in fields.items():
            if not plain_text(value or ""):
                fields[key] = ""
                continue
            fields[key], problem = metadata_value(key, value)
            if problem:
                raise ArticleError(f"The {'URL' if key == 'url' else key} {problem}.")
        date = plain_text(date or "")
        if date:
            try:
                date = datetime.date.fromisoformat(date).isoformat()
            except ValueError:
                raise ArticleError(
                    f"The date {date[:40]!r} is not a real date; write it as YYYY-MM-DD."
                ) from None
        return cls(fields["outlet"], date, fields["url"])


def _sidecar(details: Details, user: str) -> dict[str, str]:
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    fields = {k: v for k, v in asdict(details).items() if v}
    return {**fields, "uploaded_by": user or "anonymous", "uploaded_at": stamp}


def _same_details(sidecar: Path, details: Details) -> bool:
    """An earlier copy's sidecar says what these details say (who and when aside)."""
    try:
        kept = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    except (OSError, UnicodeError, json.JSONDecodeError):
        return False
    return all(str(kept.get(k, "")) == v for k, v in asdict(details).items())


def upload_target(
    folder: Path, upload: Path, details: Details = Details(), data: bytes | None = None
) -> Path:
    """Where an upload (its bytes `data`, read from it if not given) is kept: its safe name,
    or the next free `-N` variant of it."""
    name = _SAFE_NAME.sub("_", upload.name).lstrip(".") or "upload.txt"
    stem, suffix = Path(name).stem, Path(name).suffix
    data = upload.read_bytes() if data is None else data
    for n in range(1, MAX_SAME_NAME + 1):
        target = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        sidecar = target.with_suffix(".json")
        if not target.exists() and not sidecar.exists():
            return target
        if target.is_file() and target.read_bytes() == data and _same_details(sidecar, details):
            return target
    raise ArticleError(
        f"{name}: {MAX_SAME_NAME:,} uploads already have this name; rename the file."
    )


def _size(count: float) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.0f} kB"


def check_sizes(settings: Settings, uploads: Sequence[Path]) -> None:
    """Each file, and all of them together, within `max_file_mb`; checked before keeping."""
    limit = settings.max_file_mb * 1_000_000
    sizes = {upload: upload.stat().st_size for upload in uploads}
    for upload, size in sizes.items():
        if size > limit:
            raise ArticleError(
                f"{upload.name} is {_size(size)}, over the {_size(limit)} limit per file; "
                "nothing was kept."
            )
    if sum(sizes.values()) > limit:
        raise ArticleError(
            f"These files are {_size(sum(sizes.values()))} together, over the {_size(limit)} "
            "limit per upload; add them in smaller groups. Nothing was kept."
        )


MAX_NAME = 200  # characters of an upload's name: a file system allows 255 bytes


def upload_name(name: str) -> str:
    """The name a user gave an upload, or an ArticleError that says what is wrong with it
    (no name, a folder's name, a control character, too long)."""
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise ArticleError("A file name holds a control character; rename the file.")
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if base in ("", ".", ".."):
        raise ArticleError(f"{name[:40]!r} is not a file name; give the file a name.")
    if len(base) > MAX_NAME:
        raise ArticleError(
            f"A file name is {len(base):,} characters long (at most {MAX_NAME}); rename the file."
        )
    return base


def keep_uploads(
    settings: Settings, uploads: Sequence[Path], details: Details, user: str = ""
) -> list[Path]:
    """Copy the uploads (and their sidecars) into the uploads folder; where each is kept."""
    for upload in uploads:
        upload_name(upload.name)
    check_sizes(settings, uploads)
    folder = settings.data_dir / FOLDER
    targets = []
    check_room(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for upload in uploads:
            data = upload.read_bytes()
            target = upload_target(folder, upload, details, data)
            if not target.exists():
                sidecar = json.dumps(_sidecar(details, user), ensure_ascii=False, indent=1)
                write_atomically(target.with_suffix(".json"), sidecar.encode("utf-8"))
                try:
                    write_atomically(target, data)
                except BaseException:  # no sidecar without its article
                    target.with_suffix(".json").unlink(missing_ok=True)
                    raise
            targets.append(target)
    except OSError as exc:
        failure = write_failure(folder, f"{exc.strerror} {exc}")
        if failure is None:
            raise
        raise failure from exc
    return targets


def ingest_uploads(
    settings: Settings,
    uploads: Sequence[Path],
    embedder: Embedder,
    *,
    details: Details = Details(),
    user: str = "",
    progress: Progress | None = None,
) -> IngestReport:
    """Keep copies of the uploaded files and index them. A file skipped with a reason (the
    user is told it) is not kept: nothing that cannot be indexed stays in the folder."""
    folder = settings.data_dir / FOLDER
    before = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    targets = keep_uploads(settings, uploads, details, user)
    report = ingest_paths(settings, targets, embedder, progress=progress)
    for source, _ in report.skipped:
        target = Path(source)
        if target.parent == folder and target.name not in before:  # kept by this request
            target.with_suffix(".json").unlink(missing_ok=True)
            target.unlink(missing_ok=True)
    return report


GIVEN_UP = ".given-up.json"  # uploads found at a start that cannot be indexed: name -> why


def given_up(folder: Path) -> dict[str, dict[str, str]]:
    """The uploads given up at an earlier start, each with its hash and its reason."""
    try:
        data = json.loads((folder / GIVEN_UP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def index_pending(settings: Settings, embedder: Embedder) -> IngestReport | None:
    """Index uploads that were kept but not indexed (the server stopped midway). One that
    cannot be indexed stays in the folder, its reason recorded beside it, and is not tried
    again at every start (unless it changes)."""
    folder = settings.data_dir / FOLDER
    if not folder.is_dir():
        return None
    for partial in folder.glob(f"*{PARTIAL}"):  # a write cut short: never a whole upload
        partial.unlink(missing_ok=True)
    known = given_up(folder)
    skip = {
        str(folder / name): (v.get("sha", ""), v.get("reason", "")) for name, v in known.items()
    }
    report = ingest_paths(settings, [folder], embedder, given_up=skip)
    for source, reason in report.skipped:
        path = Path(source)
        if path.parent == folder and path.is_file():
            known[path.name] = {"sha": file_sha(path.read_bytes()), "reason": reason}
    for name in [n for n in known if not (folder / n).is_file()]:
        del known[name]  # removed by hand since
    write_atomically(folder / GIVEN_UP, json.dumps(known, ensure_ascii=False, indent=1).encode())
    return report
