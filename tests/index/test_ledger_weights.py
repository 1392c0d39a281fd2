"""Grouping does not depend on how many other articles the archive holds (issue 35, point 6).

Two outlets print the same sentence; in an empty archive and among many unrelated articles
(which make the shared words common, or not) they are one tracked claim with two outlets.
Real ingest, the real embedder, the saved ledger as readers load it.
"""

import json
from pathlib import Path

from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from index.tracked import TrackedClaim, ledger_dir, load_ledger

SENTENCE = (
    "Menteri Keuangan Sri Wahyuni mengatakan gaji guru honorer akan naik lima persen mulai "
    "Januari tahun depan."
)
# Unrelated claims written for the archive: other speakers, other matters, the same
# attribution and many of the same words ("naik", "persen", "Januari", "tahun depan").
_ROLES = ["Menteri Perhubungan", "Gubernur Jawa Barat", "Kepala BPS", "Wali Kota Surabaya"]
_FIRST = ["Budi", "Rina", "Agus", "Hendra", "Dewi", "Eko"]
_LAST = ["Santoso", "Kartika", "Prasetyo", "Wijaya", "Nugroho"]
_MATTERS = [
    "tarif tol dalam kota akan naik {n} persen mulai Januari tahun depan",
    "harga listrik untuk rumah tangga tidak akan naik sampai akhir tahun",
    "jumlah penumpang kereta naik {n} persen dibanding tahun lalu",
    "pembangunan jembatan di pantai utara selesai bulan Maret",
    "iuran jaminan kesehatan kelas tiga akan naik {n} persen tahun depan",
    "anggaran pendidikan daerah naik menjadi {n} triliun rupiah",
    "inflasi bulan Januari tercatat {n} persen karena harga beras",
]


def _write(folder: Path, name: str, title: str, body: str, outlet: str, date: str) -> None:
    (folder / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    sidecar = {"outlet": outlet, "date": date, "title": title}
    (folder / f"{name}.json").write_text(json.dumps(sidecar), encoding="utf-8")


def _the_two(folder: Path) -> None:
    _write(
        folder,
        "detik",
        "Gaji Guru Honorer Naik Tahun Depan",
        f"{SENTENCE}\n\nKebijakan itu akan diumumkan resmi pekan depan.",
        "detikcom",
        "2024-05-02",
    )
    _write(
        folder,
        "cnn",
        "Pemerintah Naikkan Gaji Guru Honorer",
        f"{SENTENCE}\n\nRibuan guru di daerah terpencil menyambut kabar tersebut.",
        "CNN Indonesia",
        "2024-05-02",
    )


def _unrelated(folder: Path, count: int) -> None:
    for n in range(count):
        role = _ROLES[n % len(_ROLES)]  # one speaker an article: nothing else is one claim
        name = f"{_FIRST[n % len(_FIRST)]} {_LAST[n // len(_FIRST) % len(_LAST)]}"
        first = _MATTERS[n % len(_MATTERS)].format(n=n + 2)
        second = _MATTERS[(n + 3) % len(_MATTERS)].format(n=n + 7)
        body = (
            f"{role} {name} mengatakan {first}.\n\n"
            f'"Kami berharap masyarakat memahami, {second}," kata {name}.'
        )
        _write(folder, f"lain-{n:02d}", f"Kabar {n}", body, f"Outlet {n % 5}", "2024-04-20")
    # the same speaker on another matter: not the claim about teachers' pay
    _write(
        folder,
        "lain-menkeu",
        "Defisit Anggaran",
        "Menteri Keuangan Sri Wahyuni mengatakan defisit anggaran tahun depan dijaga di bawah "
        "tiga persen dari produk domestik bruto.",
        "Kompas",
        "2024-04-28",
    )


def _pay_claims(settings: Settings) -> list[TrackedClaim]:
    saved = load_ledger(ledger_dir(settings.data_dir))
    assert saved is not None
    return [t for t in saved[1] if "gaji guru honorer" in t.text]


def _assert_one_claim_two_outlets(settings: Settings) -> None:
    found = _pay_claims(settings)
    assert len(found) == 1, [(t.id, [a.outlet for a in t.appearances]) for t in found]
    assert {a.outlet for a in found[0].appearances} == {"detikcom", "CNN Indonesia"}
    assert found[0].outlets == 2 and found[0].speaker == "Sri Wahyuni"


def test_the_same_sentence_in_two_outlets_is_one_claim_in_an_empty_archive(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "berita"
    folder.mkdir()
    _the_two(folder)
    ingest_paths(settings, [folder], embedder)
    _assert_one_claim_two_outlets(settings)


def test_the_same_sentence_in_two_outlets_is_one_claim_among_many_articles(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    """Among 30 unrelated articles, written with the two (a build) and before them (an
    update of the saved ledger): one claim, and the minister's other statement apart."""
    archive = tmp_path / "arsip"
    archive.mkdir()
    _unrelated(archive, 30)
    fresh = tmp_path / "baru"
    fresh.mkdir()
    _the_two(fresh)
    ingest_paths(settings, [archive], embedder)
    ingest_paths(settings, [fresh], embedder)  # the ledger updated, not built
    _assert_one_claim_two_outlets(settings)
    together = Settings(data_dir=tmp_path / "together")
    ingest_paths(together, [archive, fresh], embedder)  # one write: the ledger built
    _assert_one_claim_two_outlets(together)
    saved = load_ledger(ledger_dir(together.data_dir))
    assert saved is not None
    deficit = [t for t in saved[1] if "defisit anggaran" in t.text]
    assert len(deficit) == 1 and len(deficit[0].appearances) == 1
    spread = [t for t in saved[1] if len({a.doc_id for a in t.appearances}) > 1]
    assert spread == _pay_claims(together)  # no other matters joined across articles


# One speaker's two different statements, reported in the same long frame (who, where, when,
# with whom), and one of them again by another outlet in another frame. Written for the test.
_FRAME = (
    "Tesla's Asia chief Tom Zhu said at the Shanghai auto show on Tuesday, flanked by engineers"
)
_PLANT = "Our new battery plant will open in March"


def test_one_frame_does_not_make_two_statements_one_claim(
    settings: Settings, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    """The frame's rare words (Shanghai, engineers, ...) are not what the claims say: the
    words compared are those of what each says and of the sentences after it."""
    folder = tmp_path / "news"
    folder.mkdir()
    day = "2024-05-02"
    _write(folder, "reuters", "Tesla", f'"{_PLANT}," {_FRAME}.', "Reuters", day)
    _write(folder, "ap", "Tesla", f'"Our prices will stay as they are," {_FRAME}.', "AP", day)
    told = f'Tom Zhu, who runs Tesla in Asia, told reporters in Shanghai: "{_PLANT}."'
    _write(folder, "bbc", "Tesla", told, "BBC", day)
    ingest_paths(settings, [folder], embedder)
    saved = load_ledger(ledger_dir(settings.data_dir))
    assert saved is not None
    outlets = sorted(sorted(a.outlet for a in t.appearances) for t in saved[1])
    assert outlets == [["AP"], ["BBC", "Reuters"]], outlets
