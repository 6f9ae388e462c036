"""No two modules of Koers import each other at import time (directly or round a loop).

A cycle makes the import order matter and hides which module depends on which; the
scan report and its pay part once imported each other. Imports inside functions and
under ``if TYPE_CHECKING:`` are not followed: they run later, or never.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(
    tree: ast.Module, module: str, is_package: bool, modules: set[str]
) -> set[str]:
    """The Koers modules ``module`` imports when it is imported. ``from package import
    submodule`` depends on the submodule (the package is already being imported)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            found.update(submodules & modules or {base})
    return found & modules


def _graph() -> dict[str, set[str]]:
    paths = {
        _module_name(p): p for p in (SRC / "koers").rglob("*.py") if "migrations" not in p.parts
    }
    graph = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _top_level_imports(tree, name, path.name == "__init__.py", set(paths))
        graph[name] = imported - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in graph[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_loop() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_round_a_loop() -> None:
    graph = _graph()
    assert "koers.scan.report_pay" in graph["koers.scan.report"]
    assert _cycles(graph) == []


def test_koers_imports_no_test_only_dependency() -> None:
    """scikit-learn, statsmodels and stepmix are the references the tests and benches
    compare against (the ``dev`` extra in pyproject.toml); Koers must run without them."""
    test_only = {"sklearn", "statsmodels", "stepmix", "pytest", "hypothesis", "playwright"}
    offenders = []
    for path in (SRC / "koers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(SRC)}: {name}"
                for name in names
                if name.split(".")[0] in test_only
            ]
    assert offenders == []
