"""Quote provenance on a few real cases: what the thresholds in bot/provenance.py rest on.

    python bench/provenance.py

The three seed articles (real, Indonesian) through the real ingest into a fresh index, then
pasted quotes written for this check and marked so: the article's own words (cut or
whole), Indonesian paraphrases, English translations of their claims (which must match the
Indonesian claim), and statements no seed makes, some about the same people and places.
Printed per case: how it matched, the closest claim's cosine, and overall precision and
recall; a small set, so each threshold's margin is printed too.
"""

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.ledger import LedgerIndex, current_ledger  # noqa: E402
from bot.provenance import trace  # noqa: E402
from index.embed import LocalEmbedder  # noqa: E402
from index.ingest import ingest_paths  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.store import Store  # noqa: E402

# (quote, the start of the claim it must find, or "" when no seed says it)
CASES = [
    ("mendesak Korea Selatan untuk berbuat lebih banyak", "Namun ia tetap mendesak"),
    ("Jika kita percaya pada kebebasan, demokrasi, jika kita tidak ingin otokrasi", '"Jika kita'),
    ("Stoltenberg meminta Korsel berbuat lebih banyak untuk Ukraina", "Namun ia tetap mendesak"),
    ("Korut membantah tudingan itu sejak pekan lalu.", "Korut telah membantah"),
    ("Stoltenberg urged South Korea to do more, citing an urgent need for ammunition.",
     "Namun ia tetap mendesak"),
    ("If we believe in freedom and democracy, if we do not want autocracy and tyranny to win, "
     "then they need weapons.", '"Jika kita'),
    ("North Korea has denied the accusations since last weekend.", "Korut telah membantah"),
    ("NATO plans to work more closely with partners in the Indo-Pacific.", "London (ANTARA)"),
    ("99 percent of military support to Ukraine comes from NATO allies", "Mengenai Ukraina"),
    ("Putin is preparing for more war and is acquiring weapons from countries including "
     "North Korea", "Ia mengatakan Putin"),
    ("Stoltenberg said NATO will send troops to Taiwan.", ""),
    ("Menteri Keuangan Sri Mulyani mengatakan defisit anggaran akan turun.", ""),
    ("The president said the economy will grow seven percent next year.", ""),
    ("Putin mengatakan Rusia tidak akan pernah menyerang NATO.", ""),
    ("South Korea said it will send artillery shells directly to Ukraine.", ""),
    ("Kim Jong Un said North Korea will launch a satellite next month.", ""),
    ("Stoltenberg said the war in Ukraine will end this year.", ""),
    ("NATO akan membuka kantor penghubung di Tokyo tahun depan.", ""),
]  # fmt: skip


def main() -> None:
    embedder = LocalEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        ingest_paths(settings, [REPO / "seeds"], embedder)
        store = Store(settings, embedder)
        index = LedgerIndex(*current_ledger(settings, store, store.generation()))
        right = found = wanted = 0
        print("| quote | wanted | got | how | closest cosine |\n|---|---|---|---|---|")
        for quote, target in CASES:
            result = trace(index, embedder, quote)
            vector = embedder.embed_passages([quote])[0]
            cosine = index.closest(vector, 1)[0][1]
            got = result.versions[0].quote if result.found else ""
            texts = {t.text for t in index.tracked if any(a.quote == got for a in t.appearances)}
            ok = bool(target) and any(t.startswith(target) for t in texts)
            right += ok
            found += result.found
            wanted += bool(target)
            print(
                f"| {quote[:48]} | {target[:22] or '(none)'} | {got[:22] or '(not found)'} |"
                f" {result.match or '-'} | {cosine:.4f} |"
            )
        print(
            f"\nprecision {right}/{found} ({right / max(found, 1):.2f}),"
            f" recall {right}/{wanted} ({right / max(wanted, 1):.2f})"
        )


if __name__ == "__main__":
    main()
