"""The layering contract: imports point down the pipeline, and no module imports itself back.

The layers, lowest first: the floor (files, output, problems, escape, ooxml and the
compiled schemas), project, plan/, paper/, writers/, then importers/, updates/ and
commands/, then the command line. A module may import its own layer or a lower one. The
imports are read from the source (those inside functions and under TYPE_CHECKING
included), so that a cycle hidden by a lazy import is found too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "planreport"

# Each module's layer, by the first name under planreport (its module or its package).
LAYERS: dict[str, int] = {
    "__init__": 0,
    "files": 0,
    "output": 0,
    "problems": 0,
    "escape": 0,
    "ooxml": 0,
    "compiled": 0,
    "project": 1,
    "plan": 2,
    "paper": 3,
    "writers": 4,
    "importers": 5,
    "updates": 5,
    "commands": 5,
    "site": 5,
    "cli": 6,
    "arguments": 6,
    "__main__": 6,
}


def _name(path: Path) -> str:
    """The dotted module name of a source file."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The planreport modules a source file imports.

    A name imported from a package that is itself a module counts as that module.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("planreport")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planreport"):
            assert node.level == 0, f"{path}: relative import"
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found - {"planreport"}


MODULES: dict[str, Path] = {_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH: dict[str, set[str]] = {name: _imports(path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    """A module's layer from its first name under planreport."""
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


def test_every_module_has_a_layer() -> None:
    """A new top-level module or package is placed in a layer on purpose."""
    unplaced = {m.split(".")[1] for m in MODULES if "." in m} - set(LAYERS)
    assert not unplaced, f"add these to LAYERS in {Path(__file__).name}: {sorted(unplaced)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    """No module imports from a layer above its own."""
    upward = sorted(i for i in GRAPH[module] if _layer(i) > _layer(module))
    assert not upward, f"{module} (layer {_layer(module)}) imports from above: {upward}"


def test_no_import_cycle() -> None:
    """No module reaches itself through its imports (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt not in MODULES:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                cycles.append(sorted(part))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


MAX_LINES = 500


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_500_lines(module: str) -> None:
    """A module does one job: none is over 500 lines (the generated schema checks aside)."""
    path = MODULES[module]
    name = path.relative_to(PACKAGE).as_posix()
    if name.startswith("compiled/"):
        return
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job (at most {MAX_LINES})"
