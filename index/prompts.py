"""Prompt templates: files in prompts/ with $variables, rendered by name."""

from string import Template

from index.errors import ConfigError
from index.settings import Settings


def render_prompt(settings: Settings, name: str, **variables: object) -> str:
    """Render prompts/NAME.md; a missing variable raises KeyError (a bug, caught by tests)."""
    path = settings.prompts_dir / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Prompt template {path} is missing; restore it from git.") from exc
    return Template(text).substitute(variables).strip()


def prompt_names(settings: Settings) -> list[str]:
    """Every template in the prompts folder."""
    return sorted(p.stem for p in settings.prompts_dir.glob("*.md"))
