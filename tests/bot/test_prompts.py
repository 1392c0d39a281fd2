import pytest

from index.prompts import prompt_names, render_prompt
from index.settings import Settings

VARIABLES = {
    "answer_system": {"language": "English"},
    "answer_user": {"passages": '<passage n="1">x</passage>', "question": "q?"},
    "evidence_en": {"items": "[1] x", "outlets": "A"},
    "evidence_id": {"items": "[1] x", "outlets": "A"},
    "not_found_en": {},
    "not_found_id": {},
    "missing_names_en": {"names": "X"},
    "missing_names_id": {"names": "X"},
    "absent_names_en": {"names": "X"},
    "absent_names_id": {"names": "X"},
    "uncalibrated": {"model": "some-model"},
    "rewrite_question": {"history": "- q1", "question": "and Japan?"},
    "claims_list_en": {"scope": "reported by more than one outlet", "items": "- x"},
    "claims_list_id": {"scope": "yang diberitakan lebih dari satu media", "items": "- x"},
    "dispute_en": {"claim": "[1] x", "denial": "[2] y"},
    "dispute_id": {"claim": "[1] x", "denial": "[2] y"},
    "extract_claims": {"article": "Menteri itu mengatakan hal itu."},
    "gloss_claims": {"claims": '[{"n": 1, "text": "Menteri itu mengatakan hal itu."}]'},
}


def test_every_prompt_renders_with_its_variables() -> None:
    settings = Settings()
    assert set(prompt_names(settings)) == set(VARIABLES)
    for name, variables in VARIABLES.items():
        text = render_prompt(settings, name, **variables)
        assert "$" not in text, name


def test_a_missing_variable_raises() -> None:
    with pytest.raises(KeyError):
        render_prompt(Settings(), "answer_user", question="q?")
