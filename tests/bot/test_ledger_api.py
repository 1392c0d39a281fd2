"""The ledger's newer routes against the real app over HTTP, behind logins and API keys:
its events as JSON and as an Atom feed (issue 35, point 3), read by feedparser as a feed
reader would, and quote provenance (point 4)."""

from typing import Any

import feedparser
import httpx
import pytest

from index.events import read_events
from index.settings import Settings
from index.tracked import ledger_dir
from tests.app_process import running_app
from tests.load_client import copy_index

KEY = "sk-claimbot-test-key-0002"
BEARER = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def app(seeded: Settings, tmp_path_factory: pytest.TempPathFactory) -> Any:
    data_dir = copy_index(seeded.data_dir, tmp_path_factory.mktemp("ledger-api") / "data")
    with running_app(data_dir, CLAIMBOT_AUTH="ana:s3cret-ana", CLAIMBOT_API_KEYS=KEY) as url:
        yield url, data_dir


def test_events_as_json_and_atom_behind_the_logins(app: Any) -> None:
    url, data_dir = app
    for path in ("/api/claims/events", "/api/claims/events.atom"):
        assert httpx.get(f"{url}{path}").status_code == 401
    events = httpx.get(f"{url}/api/claims/events", headers=BEARER).json()
    written = read_events(ledger_dir(data_dir))
    assert [e["id"] for e in events] == [e["id"] for e in written] and events
    assert all("/" not in e["source"] for e in events)  # file names, never server paths
    assert {e["kind"] for e in events} >= {"new claim", "another outlet", "new dispute"}
    none = httpx.get(f"{url}/api/claims/events", params={"since": "2999-01-01"}, headers=BEARER)
    assert none.json() == []
    bad = httpx.get(f"{url}/api/claims/events", params={"since": "soon"}, headers=BEARER)
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]

    atom = httpx.get(f"{url}/api/claims/events.atom", auth=("ana", "s3cret-ana"))
    assert atom.status_code == 200 and atom.headers["content-type"].startswith(
        "application/atom+xml"
    )
    feed = feedparser.parse(atom.content)
    assert not feed.bozo and feed.version == "atom10"
    assert len(feed.entries) == len(events)
    newest = feed.entries[0]
    assert newest.id == f"urn:claimbot:event:{events[-1]['id']}"
    assert newest.link.startswith(f"{url}/source/") and events[-1]["detail"] in newest.summary
    dispute = next(e for e in feed.entries if e.title.startswith("new dispute"))
    assert "Korut" in dispute.title


def test_provenance_over_http(app: Any) -> None:
    url, _ = app
    quote = {"quote": "North Korea has denied the accusations since last weekend."}
    assert httpx.post(f"{url}/api/provenance", json=quote).status_code == 401
    found = httpx.post(f"{url}/api/provenance", json=quote, headers=BEARER, timeout=60).json()
    assert found["found"] and found["match"] == "paraphrase"
    assert found["earliest"]["speaker"] == "Korut" and "/" not in found["earliest"]["source"]
    absent = {"quote": "The president said the economy will grow seven percent next year."}
    none = httpx.post(f"{url}/api/provenance", json=absent, headers=BEARER, timeout=60).json()
    assert not none["found"] and none["message"].startswith("Not in the archive")
    empty = httpx.post(f"{url}/api/provenance", json={"quote": " "}, headers=BEARER)
    assert empty.status_code == 400 and "Paste a quote" in empty.json()["error"]
