"""The command line as a user runs it: real subprocesses, real index."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.settings import Settings
from tests.app_process import bot_command as run  # every command as a user runs it
from tests.app_process import clean_env

REPO = Path(__file__).resolve().parents[2]


def test_ask_without_an_index_says_what_to_do(tmp_path: Path) -> None:
    none = tmp_path / "none"
    result = run("ask", "What did Stoltenberg ask of Korea?", data_dir=none)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [  # the full command, for this data dir
        f"Error: No index at {none}/ — run `python -m bot ingest seeds/ --data-dir {none}` first."
    ]


def test_serve_on_an_empty_folder_names_the_command_for_it(tmp_path: Path) -> None:
    """Issue 33, point 7: `serve --data-dir X` on an empty folder says to index X."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("serve", "--port", "1", data_dir=empty)
    assert result.returncode == 1
    assert f"`python -m bot ingest seeds/ --data-dir {empty}`" in result.stderr
    assert "Open http" not in result.stdout


@pytest.mark.parametrize("logins", [[], ["--auth", "ana:rahasia"]], ids=["key", "login-and-key"])
def test_a_short_api_key_is_refused_before_the_server_says_open(
    tmp_path: Path, logins: list[str]
) -> None:
    """Issue 33, point 7: the key's length is checked before "Open http://..." is printed."""
    result = run("serve", "--port", "1", "--api-key", "KEY123", *logins, data_dir=tmp_path / "x")
    assert result.returncode == 1
    assert "Open http" not in result.stdout
    assert result.stderr.strip() == (
        "Error: Each API key must be at least 16 characters (in --api-key or CLAIMBOT_API_KEYS)."
    )


@pytest.mark.slow
def test_ingest_then_ask_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run("ingest", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "3 file(s) indexed" in result.stdout

    result = run("ask", "--json", "What did Stoltenberg ask of Korea?", data_dir=data)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["found"] and answer["mode"] == "evidence" and answer["notice"] is None
    sources = {c["source"] for c in answer["citations"]}
    assert sources == {"seeds/000_5aa4ec63266beb67.txt", "seeds/001_7c76dbf8ebe446d4.txt"}
    for c in answer["citations"]:
        text = (REPO / c["source"]).read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"]


def test_questions_file_gives_one_answer_per_line(seeded: Settings, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "What did Stoltenberg ask of Korea?"}\n'
        "not json\n"
        '{"question": "What is the capital of Peru?"}\n'
        + json.dumps({"question": "Why? " * 500})
        + "\n",
        encoding="utf-8",
    )
    result = run("ask", "--questions", str(questions), data_dir=seeded.data_dir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("found") for line in lines] == [True, None, False, None]
    assert lines[1] == {"line": 2, "error": 'expected {"question": "..."}'}
    assert lines[3]["line"] == 4 and "at most 2,000" in lines[3]["error"]


def test_a_question_too_long_is_one_line_and_exit_1(seeded: Settings) -> None:
    result = run("ask", "Why? " * 500, data_dir=seeded.data_dir)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: The question is 2,499 characters long; ask it in at most 2,000 "
        "(one or two sentences work best)."
    ]


def test_ingest_reports_skipped_files_and_exit_status(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Menteri itu mengatakan bahwa rapat ditunda.", "utf-8")
    (folder / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = run("ingest", str(folder), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "1 file(s) indexed" in result.stdout
    assert f"skipped {folder / 'bad.txt'}: binary file, not text" in result.stdout


MEDCOM, KUMPARAN, ANTARA = (
    "seeds/000_5aa4ec63266beb67.txt",
    "seeds/001_7c76dbf8ebe446d4.txt",
    "seeds/004_245cae90d7e48221.txt",
)
LABELLED = [
    ("What did Stoltenberg ask of South Korea?", MEDCOM),
    ("Where did Stoltenberg speak in Seoul?", MEDCOM),
    ("What did Stoltenberg thank South Korea for?", MEDCOM),
    ("What does South Korean law forbid about weapons exports?", MEDCOM),
    ("Which European country bought tanks from South Korea?", MEDCOM),
    ("Which other country did Stoltenberg visit on his Asian trip?", KUMPARAN),
    ("What did North Korea say about the accusation of arming Russia?", KUMPARAN),
    ("Who is Kwon Jong-gun?", KUMPARAN),
    ("What did Stoltenberg urge South Korea to reconsider?", KUMPARAN),
    ("Which countries changed their policy on arms exports to conflict zones?", KUMPARAN),
    ("What did the United States accuse North Korea of?", KUMPARAN),
    ("When did Stoltenberg meet South Korean officials?", KUMPARAN),
    ("What did Stoltenberg say about Ukraine's need for ammunition?", KUMPARAN),
    ("Where were NATO foreign ministers meeting informally?", ANTARA),
    ("What does NATO plan with its Indo-Pacific partners?", ANTARA),
    ("Which countries did Stoltenberg link to Russia?", ANTARA),
    ("What did Stoltenberg say about Europe and Asia?", ANTARA),
    ("Will NATO stay a regional alliance?", ANTARA),
    ("Which news agency reported Stoltenberg's remarks in Prague?", ANTARA),
    ("What did Stoltenberg say about China?", ANTARA),
    ("What did Stoltenberg say about Iran?", ANTARA),
]
NOT_ANSWERED = [
    "What is the capital of Peru?",
    "Who won the 2022 World Cup?",
    "How do I bake sourdough bread?",
    "What is the price of rice in Jakarta?",
]


@pytest.mark.slow
def test_calibrate_fits_on_labelled_questions_and_the_index_keeps_it(
    seeded: Settings, tmp_path: Path
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(seeded.data_dir, data)
    few = tmp_path / "few.jsonl"
    few.write_text(json.dumps({"question": LABELLED[0][0], "source": MEDCOM}) + "\n", "utf-8")
    refused = run("calibrate", str(few), data_dir=data)
    assert refused.returncode == 1 and "at least 20 answerable questions" in refused.stderr

    rows = [{"question": q, "source": s} for q, s in LABELLED]
    rows += [{"question": q, "source": None} for q in NOT_ANSWERED]
    labelled = tmp_path / "mine.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    result = run("calibrate", str(labelled), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "en: false abstention" in result.stdout and "Saved with the index" in result.stdout

    from bot.chain import Bot
    from index.embed import LocalEmbedder

    bot = Bot(Settings(data_dir=data), LocalEmbedder())
    assert bot.calibration is not None and "mine.jsonl, 25 questions" in bot.calibration.fitted_on
    assert bot.ask(LABELLED[0][0]).found


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CLAIMBOT_LEDGER_BARS", "{not json"), ("CLAIMBOT_TOP_K", "3")],
    ids=["json", "bound"],
)
def test_a_setting_that_is_not_valid_is_one_line_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "claims", "--data-dir", str(tmp_path / "x")],
        cwd=REPO,
        env=clean_env(**{variable: value}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: The setting {variable} is not valid")
    assert lines[0].endswith("correct it or unset it.")
