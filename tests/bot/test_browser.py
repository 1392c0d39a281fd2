"""The web page in a real Chromium (Debian's) against the real app on loopback."""

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.embed import LocalEmbedder
from index.ingest import ingest_paths
from index.settings import Settings
from tests.app_process import DENIAL_ARTICLE, running_app
from tests.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.openai_stub import OpenAIStub

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "tests" / "screenshots"
ANSWER_TIMEOUT = 60_000  # ms; first answers load the model


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
        pytest.skip("Chromium is not installed; `make test` installs it")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, embedder: LocalEmbedder) -> Path:
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(REPO / "seeds", root / "articles")
    settings = Settings(data_dir=root / "data")
    ingest_paths(settings, [root / "articles"], embedder)
    return settings.data_dir


@pytest.fixture(scope="module")
def app_url(data_dir: Path) -> Iterator[str]:
    with running_app(data_dir) as url:
        yield url


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def ask(page: object, question: str) -> None:
    box = page.locator("#question textarea")  # type: ignore[attr-defined]
    box.fill(question)
    box.press("Enter")


def upload(page: object, files: list[Path], **details: str) -> object:
    """Add files through the page's form (outlet, date, url optional); the status line."""
    page.get_by_text("Add articles").click()  # type: ignore[attr-defined]
    page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])  # type: ignore[attr-defined]
    for name, value in details.items():
        page.locator(f"#upload-{name} textarea, #upload-{name} input").first.fill(value)  # type: ignore[attr-defined]
    page.locator("#upload-add").click()  # type: ignore[attr-defined]
    return page.locator("#upload-status")  # type: ignore[attr-defined]


def test_cited_answer_and_source_view(page: object, app_url: str) -> None:
    page.goto(app_url)  # type: ignore[attr-defined]
    expect(page.locator("#status")).to_contain_text("3 articles indexed")  # type: ignore[attr-defined]
    expect(page.locator("#status")).to_contain_text("evidence mode")  # type: ignore[attr-defined]
    ask(page, "What did Stoltenberg ask of Korea?")
    link = page.locator("#chat a", has_text="[1]").first  # type: ignore[attr-defined]
    expect(link).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(page.locator("#chat")).to_contain_text("Quoting the sources")  # type: ignore[attr-defined]
    expect(page.locator("#chat")).to_contain_text("Sources")  # type: ignore[attr-defined]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat.png"), full_page=True)  # type: ignore[attr-defined]
    with page.context.expect_page() as opened:  # type: ignore[attr-defined]
        link.click()
    source = opened.value
    mark = source.locator("mark#cited")
    expect(mark).to_contain_text("mendesak Korea Selatan untuk berbuat lebih banyak")
    expect(mark).to_be_in_viewport()
    expect(source.locator("#outlet")).to_have_text("Medcom")
    source.screenshot(path=str(SCREENSHOTS / "source.png"))


def test_follow_up_question(page: object, app_url: str) -> None:
    page.goto(app_url)  # type: ignore[attr-defined]
    ask(page, "What did Stoltenberg ask of Korea?")
    expect(page.locator("#chat a", has_text="[1]").first).to_be_visible(timeout=ANSWER_TIMEOUT)  # type: ignore[attr-defined]
    ask(page, "and Japan?")
    chat = page.locator("#chat")  # type: ignore[attr-defined]
    expect(chat).to_contain_text(
        "Understood as: What did Stoltenberg ask of Japan?",
        timeout=ANSWER_TIMEOUT,
    )
    expect(chat).to_contain_text("Jepang")


def test_upload_articles(page: object, app_url: str, tmp_path: Path) -> None:
    article = tmp_path / "laporan.txt"
    article.write_text(
        "Jakarta (ANTARA) - Menteri Perikanan Sakti Wahyu Trenggono mengatakan bahwa ekspor "
        "lobster ke Vietnam akan dihentikan mulai bulan depan.\n",
        encoding="utf-8",
    )
    broken = tmp_path / "rusak.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    page.goto(app_url)  # type: ignore[attr-defined]
    status = upload(page, [article, broken], outlet="Tempo", date="2024-05-02")
    expect(status).to_contain_text("Indexed 1 file(s)", timeout=ANSWER_TIMEOUT)  # type: ignore[arg-type]
    expect(status).to_contain_text("rusak.txt: binary file, not text")  # type: ignore[arg-type]
    expect(page.locator("#status")).to_contain_text("4 articles indexed")  # type: ignore[attr-defined]
    ask(page, "What did the fisheries minister say about lobster exports?")
    chat = page.locator("#chat")  # type: ignore[attr-defined]
    expect(chat).to_contain_text("ekspor lobster ke Vietnam", timeout=ANSWER_TIMEOUT)
    expect(chat).to_contain_text("Tempo, 2024-05-02")
    assert "/tmp/" not in chat.inner_text() and str(tmp_path) not in page.content()  # type: ignore[attr-defined]
    with page.context.expect_page() as opened:  # type: ignore[attr-defined]
        page.locator("#chat a", has_text="[1]").first.click()  # type: ignore[attr-defined]
    source = opened.value
    expect(source.locator("#outlet")).to_have_text("Tempo")
    expect(source.locator("mark#cited")).to_contain_text("ekspor lobster")
    assert "/" not in source.locator("header").inner_text().replace("2024-05-02", "")

    # A bad date is refused with its reason, and nothing is kept.
    page.reload()  # type: ignore[attr-defined]
    status = upload(page, [article], date="2024-02-30")
    expect(status).to_contain_text("not a real date", timeout=ANSWER_TIMEOUT)  # type: ignore[arg-type]

    # Another file under the same name is a document of its own; the first one stays.
    other = tmp_path / "lain" / "laporan.txt"
    other.parent.mkdir()
    other.write_text(
        "Jakarta (ANTARA) - Kepala Badan Pangan Arief Prasetyo Adi mengatakan bahwa cadangan "
        "beras pemerintah cukup untuk enam bulan ke depan.\n",
        encoding="utf-8",
    )
    page.reload()  # type: ignore[attr-defined]
    status = upload(page, [other])
    expect(status).to_contain_text("Indexed 1 file(s)", timeout=ANSWER_TIMEOUT)  # type: ignore[arg-type]
    ask(page, "How long will the government's rice reserves last?")
    expect(page.locator("#chat")).to_contain_text("cadangan beras", timeout=ANSWER_TIMEOUT)  # type: ignore[attr-defined]
    ask(page, "What did the fisheries minister say about lobster exports?")
    expect(page.locator("#chat").locator("text=ekspor lobster ke Vietnam").last).to_be_visible(  # type: ignore[attr-defined]
        timeout=ANSWER_TIMEOUT
    )


@pytest.mark.parametrize(
    "step, message",
    [
        ({"status": 500}, "The language model answered with an error (HTTP 500)"),
        (
            {"text": "Stoltenberg urged South Korea to do more [1].", "cut_after": 3},
            "Incomplete answer, cut off",
        ),
    ],
    ids=["http-500", "cut-stream"],
)
def test_failing_llm_backend_shows_message_and_evidence(
    page: object, data_dir: Path, step: dict, message: str
) -> None:
    key = "sk-browser-test-secret"
    with (
        OpenAIStub([step]) as stub,
        running_app(
            data_dir,
            OPENAI_API_KEY=key,
            OPENAI_BASE_URL=stub.url,
            CLAIMBOT_LLM_TIMEOUT="3",
            CLAIMBOT_LLM_MAX_RETRIES="0",
        ) as url,
    ):
        page.goto(url)  # type: ignore[attr-defined]
        expect(page.locator("#status")).to_contain_text("LLM mode")  # type: ignore[attr-defined]
        ask(page, "What did Stoltenberg ask of Korea?")
        chat = page.locator("#chat")  # type: ignore[attr-defined]
        expect(chat).to_contain_text(message, timeout=ANSWER_TIMEOUT)
        expect(chat).to_contain_text("Quoting the sources")
        expect(page.locator("#chat a", has_text="[1]").first).to_be_visible()  # type: ignore[attr-defined]
        content = page.content()  # type: ignore[attr-defined]
        assert key not in content and stub.url not in content and "Traceback" not in content
        ask(page, "Who is Kwon Jong-gun?")  # the conversation goes on
        expect(chat).to_contain_text("Kwon Jong-gun", timeout=ANSWER_TIMEOUT)


def test_hostile_article_text_stays_inert(page: object, app_url: str, tmp_path: Path) -> None:
    article = tmp_path / "jebakan.txt"
    article.write_text(
        'Juru bicara Badan Antariksa mengatakan <img src=x onerror="window.__pwned=1"> '
        "bahwa peluncuran satelit Garuda ditunda ![foto](http://127.0.0.1:9/pixel.png) "
        "hingga Maret <script>window.__pwned=2</script> karena cuaca.\n",
        encoding="utf-8",
    )
    page.goto(app_url)  # type: ignore[attr-defined]
    status = upload(page, [article])
    expect(status).to_contain_text("Indexed 1 file(s)", timeout=ANSWER_TIMEOUT)  # type: ignore[arg-type]
    ask(page, "Why was the launch of the Garuda satellite postponed?")
    chat = page.locator("#chat")  # type: ignore[attr-defined]
    expect(chat).to_contain_text("peluncuran satelit Garuda", timeout=ANSWER_TIMEOUT)
    assert page.evaluate("window.__pwned") is None  # type: ignore[attr-defined]
    assert chat.locator("img[src*='pixel.png'], img[src='x']").count() == 0
    link = page.locator("#chat a", has_text="[1]").first  # type: ignore[attr-defined]
    with page.context.expect_page() as opened:  # type: ignore[attr-defined]
        link.click()
    source = opened.value
    expect(source.locator("mark#cited")).to_contain_text("<script>")
    assert source.evaluate("window.__pwned") is None
    assert source.locator("img").count() == 0
    # In the Claims tab's grid too, the text is only text: its tooltip shows the markup.
    page.get_by_role("tab", name="Claims").click()  # type: ignore[attr-defined]
    page.locator("#speaker input").fill("Badan Antariksa")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    cell = page.locator("#claims-grid path[aria-label*='Badan Antariksa']").first  # type: ignore[attr-defined]
    cell.hover()
    expect(page.locator("#vg-tooltip-element")).to_contain_text("<img src=x onerror=")  # type: ignore[attr-defined]
    assert page.evaluate("window.__pwned") is None  # type: ignore[attr-defined]
    assert page.locator("img[src='x'], #claims-grid script").count() == 0  # type: ignore[attr-defined]


def test_claims_view_and_claim_badges(page: object, app_url: str) -> None:
    page.goto(app_url)  # type: ignore[attr-defined]
    ask(page, "Does North Korea supply weapons to Russia?")
    chat = page.locator("#chat")  # type: ignore[attr-defined]
    expect(chat).to_contain_text("the claim and its denial, side by side", timeout=ANSWER_TIMEOUT)
    expect(chat).to_contain_text("disputed")
    page.get_by_role("tab", name="Claims").click()  # type: ignore[attr-defined]
    table = page.locator("#claims table")  # type: ignore[attr-defined]
    expect(table).to_contain_text("Kwon Jong-gun")
    expect(table).to_contain_text("credit it to different sources")
    page.locator("#speaker input").fill("Kwon Jong-gun")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    expect(table.locator("tr")).to_have_count(2)
    page.screenshot(path=str(SCREENSHOTS / "claims.png"), full_page=True)  # type: ignore[attr-defined]
    with page.context.expect_page() as opened:  # type: ignore[attr-defined]
        table.locator("a").first.click()
    expect(opened.value.locator("mark#cited")).to_contain_text("Mencoba menodai citra")


def test_first_answer_time(page: object, app_url: str) -> None:
    """Not a timed assertion: checks the page answers; bench/ measures the time."""
    page.goto(app_url)  # type: ignore[attr-defined]
    started = time.monotonic()
    ask(page, "Who is Kwon Jong-gun?")
    expect(page.locator("#chat a", has_text="[1]").first).to_be_visible(timeout=ANSWER_TIMEOUT)  # type: ignore[attr-defined]
    assert time.monotonic() > started


def test_logins_and_read_only_in_the_browser(browser: object, data_dir: Path) -> None:
    with running_app(data_dir, CLAIMBOT_AUTH="ana:s3cret", CLAIMBOT_READ_ONLY="true") as url:
        stranger = browser.new_context()  # type: ignore[attr-defined]
        assert stranger.request.get(url).status == 401
        assert stranger.request.get(f"{url}/healthz").status == 200
        stranger.close()
        context = browser.new_context(  # type: ignore[attr-defined]
            http_credentials={"username": "ana", "password": "s3cret"}
        )
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#status")).to_contain_text("articles indexed")
        ask(page, "What did Stoltenberg ask of Korea?")
        link = page.locator("#chat a", has_text="[1]").first
        expect(link).to_be_visible(timeout=ANSWER_TIMEOUT)
        with context.expect_page() as opened:
            link.click()
        expect(opened.value.locator("mark#cited")).to_be_visible()
        assert page.locator("#add").count() == 0 and page.locator("#upload").count() == 0
        context.close()


def test_header_and_claims_follow_an_ingest_from_the_command_line(
    page: object, data_dir: Path, tmp_path: Path
) -> None:
    own = tmp_path / "data"
    shutil.copytree(data_dir, own)
    article = tmp_path / "in" / "bantahan.txt"
    article.parent.mkdir()
    article.write_text(DENIAL_ARTICLE, encoding="utf-8")
    with running_app(own, CLAIMBOT_REFRESH_SECONDS="0.5") as url:
        page.goto(url)  # type: ignore[attr-defined]
        status = page.locator("#status")  # type: ignore[attr-defined]
        expect(status).to_contain_text("articles indexed")
        before = int(status.inner_text().split()[0])
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ingest", str(article), "--data-dir", str(own)],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        expect(status).to_contain_text(f"{before + 1} articles indexed", timeout=20_000)
        page.get_by_role("tab", name="Claims").click()  # type: ignore[attr-defined]
        table = page.locator("#claims table")  # type: ignore[attr-defined]
        expect(table).to_contain_text("Nasser Kanaani")
        page.locator("#disputed-only input").check()  # type: ignore[attr-defined]
        expect(table).not_to_contain_text("Nasser Kanaani")
        expect(table).to_contain_text("inferred link")
        expect(table).to_contain_text("denied by")


def save_from_menu(page: object, picture: object, label: str) -> bytes:
    """Save a picture through its own menu as a person does: press on the entry (vega-embed
    makes the file then), wait for it, release; the downloaded bytes."""
    picture.locator("summary").click()  # type: ignore[attr-defined]
    entry = picture.locator(".vega-actions a", has_text=label)  # type: ignore[attr-defined]
    entry.hover()
    page.mouse.down()  # type: ignore[attr-defined]
    expect(entry).to_have_attribute("href", re.compile(r"^(data|blob):"))
    with page.expect_download() as saved:  # type: ignore[attr-defined]
        page.mouse.up()  # type: ignore[attr-defined]
    return Path(saved.value.path()).read_bytes()


def test_claims_pictures_follow_the_filter_open_passages_and_save(
    page: object, app_url: str
) -> None:
    ledger = page.request.get(f"{app_url}/api/claims").json()  # type: ignore[attr-defined]
    dated = [c for c in ledger if re.match(r"\d{4}-\d\d-\d\d", c["first_appearance"]["date"])]
    cells = sum(len({a["outlet"] for a in c["appearances"]}) for c in ledger)
    page.goto(app_url)  # type: ignore[attr-defined]
    page.get_by_role("tab", name="Claims").click()  # type: ignore[attr-defined]
    timeline = page.locator("#claims-timeline")  # type: ignore[attr-defined]
    grid = page.locator("#claims-grid")  # type: ignore[attr-defined]
    marks = timeline.locator("g.mark-symbol.role-mark path")
    expect(marks).to_have_count(len(dated))
    expect(grid.locator("g.mark-symbol.role-mark path")).to_have_count(cells)
    expect(timeline).to_contain_text("dispute (inferred by the ledger)")
    expect(
        timeline.locator("g.mark-line path[aria-label^='Inferred dispute: Korut']")
    ).to_have_count(1)

    page.locator("#speaker input").fill("Korut")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    korut = [c for c in ledger if c["speaker"] == "Korut"]
    # Korut's claims, and faint, the Stoltenberg claim its denial disputes.
    expect(marks).to_have_count(len(korut) + 1)
    expect(timeline.locator("path[aria-label^='Korut, ']")).to_have_count(len(korut))
    expect(timeline.locator("path[aria-label*='outside the filter']")).to_have_count(1)
    expect(grid.locator("g.mark-symbol.role-mark path")).to_have_count(len(korut))
    for picture in (timeline, grid):  # a click on a mark opens its passage, highlighted
        denial = picture.locator("path[aria-label*='Korut telah membantah']")
        with page.context.expect_page() as opened:  # type: ignore[attr-defined]
            denial.click()
        expect(opened.value.locator("mark#cited")).to_contain_text("Korut telah membantah")
        expect(opened.value.locator("#outlet")).to_have_text("kumparan")
        opened.value.close()

    svg = save_from_menu(page, timeline, "SVG").decode("utf-8")
    assert svg.startswith("<svg") and "Korut" in svg and "inferred" in svg
    assert save_from_menu(page, grid, "PNG").startswith(b"\x89PNG\r\n\x1a\n")
    page.screenshot(path=str(SCREENSHOTS / "claims-pictures.png"), full_page=True)  # type: ignore[attr-defined]
