"""The shape of the code: imports point one way, with no cycles, and each library in its place."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "index", "prompts")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every module of our packages -> the modules it imports (anywhere in its body)."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module:
                    found.add(node.module)
            graph[module_name(path)] = found
    return graph


def test_the_write_path_never_imports_the_read_path() -> None:
    for module, targets in imports().items():
        if module.startswith("index"):
            assert not any(t.split(".")[0] == "bot" for t in targets), module


def test_only_the_page_imports_gradio_and_only_the_cli_imports_click() -> None:
    for module, targets in imports().items():
        roots = {t.split(".")[0] for t in targets}
        assert "gradio" not in roots or module in {"bot.web.page", "bot.web.app"}, module
        assert "click" not in roots or module == "bot.cli", module


def test_there_are_no_import_cycles() -> None:
    graph = imports()
    ours = {m: {t for t in targets if t in graph} for m, targets in graph.items()}
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in ours[module]:
            assert state.get(target) != "open", " -> ".join([*path, module, target])
            if target not in state:
                visit(target, [*path, module])
        state[module] = "done"

    for module in ours:
        if module not in state:
            visit(module, [])
