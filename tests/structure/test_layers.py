"""The facade's imports run one way, and importing it loads nothing it does not need.

Every import between the modules of ``xpander_sdk`` (its ``emulator``
subpackage aside) counts, the ones inside functions included; only imports
under ``if TYPE_CHECKING:`` are free. A cycle among them fails with its path.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "xpander_sdk"
EXCLUDED = ("xpander_sdk.emulator",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: path for name, path in found.items() if not name.startswith(EXCLUDED)}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports, at any depth of its code but TYPE_CHECKING blocks."""
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                if child in known:
                    out.add(child)
                elif target in known:
                    out.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    out.discard(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_checker_sees_function_level_imports_and_finds_cycles(tmp_path: Path) -> None:
    snippet = tmp_path / "task.py"
    snippet.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .events import TaskUpdateEvent\n"
        "def f():\n    from .tasks import Tasks\n"
    )
    known = {"xpander_sdk.task", "xpander_sdk.tasks", "xpander_sdk.events"}
    assert _imports("xpander_sdk.task", snippet, known) == {"xpander_sdk.tasks"}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_facade_has_no_import_cycle() -> None:
    graph = _graph()
    assert "xpander_sdk.tasks" in graph and "xpander_sdk.task" in graph
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("xpander_sdk.task", "xpander_sdk.tasks"),
        ("xpander_sdk.events", "xpander_sdk.task"),
        ("xpander_sdk._stream", "xpander_sdk.task"),
        ("xpander_sdk._client", "xpander_sdk._stream"),
        ("xpander_sdk.transport", "xpander_sdk._client"),
        ("xpander_sdk.errors", "xpander_sdk.transport"),
    ],
)
def test_layers_import_downward_only(lower: str, upper: str) -> None:
    graph = _graph()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        if start == goal:
            return True
        seen.add(start)
        return any(reaches(n, goal, seen) for n in graph.get(start, ()) if n not in seen)

    assert not reaches(lower, upper, set()), f"{lower} imports {upper}, a layer above it"


def _top(module: str) -> str:
    """The module's entry in the layer table: ``xpander_sdk.cli.main`` is ``xpander_sdk.cli``."""
    return ".".join(module.split(".")[:2])


#: The docs page that holds the layer table (its section "The facade's layers").
ARCHITECTURE = PACKAGE.parent / "docs" / "project" / "architecture.md"


def _layer_table() -> list[tuple[str, set[str]]]:
    """The architecture page's layer table, bottom row first: (layer, its modules)."""
    text = ARCHITECTURE.read_text()
    table = text.split("| layer | modules | what they hold |", 1)[1].split("\n\n", 1)[0]
    layers = []
    for row in table.strip().splitlines()[1:]:  # past the |---| line
        layer, modules, _ = (cell.strip() for cell in row.strip("|").split("|", 2))
        names = {m.strip("`").removesuffix(".py").strip("/") for m in modules.split(", ")}
        layers.append((layer, {f"xpander_sdk.{n}" for n in names}))
    return layers


def test_every_module_sits_in_one_row_of_the_layer_table() -> None:
    layers = _layer_table()
    listed = [m for _, names in layers for m in names]
    assert len(listed) == len(set(listed)), "a module is in two rows"
    tops = {_top(m) for m in _modules() if m != "xpander_sdk"}
    assert tops == set(listed), f"{ARCHITECTURE.name}'s layer table and xpander_sdk/ differ"


def test_no_module_imports_from_a_row_below_it_in_the_layer_table() -> None:
    """As the table says: bottom to top, each imports only from the rows above it (or its own)."""
    layers = _layer_table()
    row = {m: i for i, (_, names) in enumerate(layers) for m in names}
    wrong = [
        f"{module} ({layers[row[_top(module)]][0]}) imports {target}"
        for module, targets in _graph().items()
        if module != "xpander_sdk"
        for target in targets
        if target != "xpander_sdk" and row[_top(target)] > row[_top(module)]
    ]
    assert not wrong, "; ".join(sorted(wrong))


def test_importing_the_sdk_loads_none_of_the_emulator_stack() -> None:
    code = (
        "import sys, json, xpander_sdk\n"
        "from xpander_sdk import Tasks, Task, Configuration\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    assert "xpander_sdk.tasks" in loaded  # the probe did import the SDK
    unwanted = {"xpander_sdk.emulator", "starlette", "uvicorn", "openapi_core", "yaml", "aiohttp"}
    assert not loaded & unwanted, f"import xpander_sdk loaded {sorted(loaded & unwanted)}"
