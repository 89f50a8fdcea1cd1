"""The shape of the package, checked from its source: data flows one way.

Every module of generator/council is read with `ast` (imports inside functions and under
TYPE_CHECKING included, relative imports resolved). Each folder is one unit, and its rank comes from
the folder it is: the test fails on any cycle between modules or between units, on a stage importing
what runs it (the pipeline, authoring tools, the CLI...), and on an import that runs back up the
order written in ARCHITECTURE.md:

    base -> sources -> citations -> render -> report -> publish -> pipeline -> authoring -> commands

A unit may import units of a lower rank, and units of its own rank as long as no cycle forms.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "council"

# Every unit is a folder of the package, and its rank is its place in this line (ARCHITECTURE.md):
# a unit may import only units to its left. `pipeline` runs the stages (the whole build, one note, the
# preview's fast path); `authoring` writes sources (Word and mail import, replies, scaffolds, publish);
# `commands` are what a person types. Nothing to the left of `pipeline` may import it.
ORDER = ("base", "sources", "citations", "render", "report", "publish", "pipeline", "authoring", "commands")
STAGES = ORDER[1:6]
RUNNERS = frozenset(ORDER[6:])
RANK = {name: i for i, name in enumerate(ORDER)}
# Loose top-level modules: the package marker and `python -m council`, which runs the CLI.
TOP_LEVEL = {"council": 0, "__main__": RANK["commands"]}
MAX_LOOSE_MODULES = 10


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every council module `path` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "council")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            if base.split(".")[0] != "council":
                continue
            for alias in node.names:  # `from council.x import y` may import the module council.x.y
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for target in found if target != name}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    paths = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    return {name: imports_of(path, name, set(paths)) for name, path in paths.items()}


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "council"


def rank(unit_name: str) -> int:
    return RANK[unit_name] if unit_name in RANK else TOP_LEVEL[unit_name]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def unit_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    units: dict[str, set[str]] = {}
    for module, targets in graph.items():
        units.setdefault(unit(module), set()).update(unit(t) for t in targets if unit(t) != unit(module))
    return units


def edges_between(graph: dict[str, set[str]], source: str, target: str) -> list[str]:
    return sorted(f"{m} -> {t}" for m, ts in graph.items() for t in ts if unit(m) == source and unit(t) == target)


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{m} -> {t} ({unit(m)} may not import {unit(t)})"
        for m, targets in graph.items()
        for t in targets
        if rank(unit(t)) > rank(unit(m))
    )


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_walk_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    package = tmp_path / "council"
    for folder in ("render", "pipeline", "base"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "render" / "a.py").write_text("def f():\n    from ..pipeline.site import build\n    from . import b\n")
    (package / "render" / "b.py").write_text("import council.base.errors\n")
    (package / "pipeline" / "site.py").write_text("from council.render.a import f\n")
    (package / "base" / "errors.py").write_text("")
    walked = import_graph(package)
    assert walked["council.render.a"] == {"council.pipeline.site", "council.render.b"}
    assert walked["council.render.b"] == {"council.base.errors"}
    assert cycles(walked) == [["council.pipeline.site", "council.render.a"]]
    assert upward_imports(walked) == ["council.render.a -> council.pipeline.site (render may not import pipeline)"]


def test_every_unit_is_known(graph: dict[str, set[str]]) -> None:
    folders = {unit(m) for m in graph if m.count(".") > 1}
    assert folders == set(ORDER), "a new folder needs a place in ORDER and in ARCHITECTURE.md"


def test_few_modules_lie_loose_at_the_top(graph: dict[str, set[str]]) -> None:
    loose = sorted(m for m in graph if m.count(".") == 1 and unit(m) not in RANK)
    assert len(loose) <= MAX_LOOSE_MODULES and set(loose) <= {f"council.{name}" for name in TOP_LEVEL}, loose


def test_no_cycle_between_modules(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_no_cycle_between_stages_and_top_level_modules(graph: dict[str, set[str]]) -> None:
    units = unit_graph(graph)
    found = cycles(units)
    detail = [
        edge
        for component in found
        for a in component
        for b in component
        if a != b
        for edge in edges_between(graph, a, b)
    ]
    assert found == [], "\n".join(detail)


def test_no_stage_imports_a_command(graph: dict[str, set[str]]) -> None:
    wrong = [
        f"{m} -> {t}"
        for m, targets in graph.items()
        for t in targets
        if rank(unit(m)) < RANK["pipeline"] and rank(unit(t)) >= RANK["pipeline"]
    ]
    assert wrong == []


def test_no_import_runs_back_up_the_stage_order(graph: dict[str, set[str]]) -> None:
    assert upward_imports(graph) == []


# Exceptions that never leave the function that raises them (control flow inside one parser).
INTERNAL_EXCEPTIONS = {"council.sources.bibtex._Stop", "council.sources.report_data.CellError"}
BUILTIN_EXCEPTIONS = {
    name
    for name in dir(builtins)
    if isinstance(getattr(builtins, name), type) and issubclass(getattr(builtins, name), BaseException)
}


def test_every_exception_a_user_can_meet_is_a_council_error() -> None:
    """One error pattern: a class deriving straight from a built-in exception, other than CouncilError
    itself, would reach the user as an 'internal error' (as BriefingProblems and RequestProblems could)."""
    outside = {
        f"{module_name(path)}.{node.name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in BUILTIN_EXCEPTIONS for b in node.bases)
    }
    assert sorted(outside - INTERNAL_EXCEPTIONS - {"council.base.errors.CouncilError"}) == []
