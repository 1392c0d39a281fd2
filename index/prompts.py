"""Prompt templates: `prompts/*.md` with $variables, rendered by name.

The templates ship inside the installed `prompts` package and are found through
`importlib.resources`, so a wheel works like a checkout; `Settings.prompts_dir` points
at another folder of templates instead.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Template

from index.errors import ConfigError
from index.settings import Settings


def _folder(settings: Settings) -> Traversable:
    return settings.prompts_dir if settings.prompts_dir is not None else files("prompts")


def render_prompt(settings: Settings, name: str, **variables: object) -> str:
    """Render prompts/NAME.md; a missing variable raises KeyError (a bug, caught by tests)."""
    path = _folder(settings) / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"Prompt template {name}.md is missing from {_folder(settings)}; "
            "reinstall claimbot or restore it from git."
        ) from exc
    return Template(text).substitute(variables).strip()


def prompt_names(settings: Settings) -> list[str]:
    """Every template in the prompts folder."""
    return sorted(
        p.name.removesuffix(".md") for p in _folder(settings).iterdir() if p.name.endswith(".md")
    )
