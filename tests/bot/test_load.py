"""Many users: 20 chat sessions for 60 s on one app on loopback while articles are uploaded.

Each session is its own client on the page's chat event, with its own history; new articles
go in through the page's upload (an ingest inside the server, then a reload) during the run.
Passes when no request failed, every upload was indexed, and nothing indexed before is
lost. CLAIMBOT_LOAD_SECONDS shortens the run for a quick look (default 60);
CLAIMBOT_LOAD_REPORT names a file for the JSON summary (bench/load.py reads it).
"""

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from index.settings import Settings
from tests.app_process import running_app
from tests.load_client import copy_index, count_index, run_load, write_articles

SESSIONS = 20
UPLOADS = 12
SECONDS = float(os.environ.get("CLAIMBOT_LOAD_SECONDS", "60"))


def health(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/healthz", timeout=10) as response:
        result: dict[str, Any] = json.load(response)
    return result


@pytest.mark.slow
def test_many_users_while_articles_are_uploaded(seeded: Settings, tmp_path: Path) -> None:
    before = count_index(seeded.data_dir)
    data_dir = copy_index(seeded.data_dir, tmp_path / "data")
    files = write_articles(tmp_path / "new", UPLOADS)
    with running_app(data_dir) as url:
        served_before = health(url)["articles"]
        result = run_load(url, SESSIONS, SECONDS, files)
        served_after = health(url)["articles"]
    after = count_index(data_dir)  # the server has stopped: the store is ours to read
    report = {
        **result.summary(),
        "articles_before": before.articles,
        "articles_after": after.articles,
        "served_articles_before": served_before,
        "served_articles_after": served_after,
        "chunks_before": before.chunks,
        "chunks_after": after.chunks,
        "claims_before": before.claims,
        "claims_after": after.claims,
    }
    print(json.dumps(report, ensure_ascii=False))
    if os.environ.get("CLAIMBOT_LOAD_REPORT"):
        Path(os.environ["CLAIMBOT_LOAD_REPORT"]).write_text(json.dumps(report), encoding="utf-8")
    server_log = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("app-*.log"))

    assert not result.chat.errors, result.chat.errors[:10]
    assert report["requests"] >= SESSIONS * 3
    assert report["fewest_per_session"] >= 3, "a session was starved"
    assert not result.uploads.errors, result.uploads.errors
    assert sorted(result.uploads.uploaded) == sorted(f.name for f in files)
    assert "Traceback" not in server_log, server_log[-3000:]
    # Nothing lost: every chunk and claim from before is still there, and exactly the
    # uploaded articles and passages were added, in the store and in the running app.
    assert served_before == before.articles
    assert served_after == after.articles == before.articles + UPLOADS
    assert before.chunk_ids <= after.chunk_ids and before.claim_ids <= after.claim_ids
    assert after.chunks == before.chunks + report["passages_uploaded"]
    assert {Path(s).name for s in after.sources - before.sources} == {f.name for f in files}
