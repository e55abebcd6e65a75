"""The Cython build of the points-to solver (analyzer.compiled_solver): used only when built
from the current source, and giving exactly what the pure-Python solver gives.

Skipped where the build has no compiled solver (no C compiler), unless
MONOCUT_REQUIRE_COMPILED is set, as CI does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path

import pytest

from analyzer import compiled_solver, points_to
from analyzer.collect import collect_facts
from analyzer.discover import discover
from analyzer.imports import ImportGraph, resolve_imports
from tests.analyzer.test_points_to import DIAMOND, MIXED, TEMPLATE
from tests.trees import write_tree

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


def deep_source() -> str:
    """Statements as deep as the parse pass lets through: compiled methods call each other in
    C, without Python's recursion limit, so depth must not crash them or change results."""
    chain = " + ".join(["a"] * 480)
    elifs = "".join(f"    elif x == {i}:\n        return f({i})\n" for i in range(1, 1990))
    return (
        f"def f(a):\n    return {chain}\n\n"
        f"def g(x):\n    if x == 0:\n        return 0\n{elifs}\n"
        f"def h(a):\n    return {'h(' * 190}a{')' * 190}\n\n"
        f"L = {'[' * 190}1{']' * 190}\n\n"
        f"def k(a):\n    return a{'.b' * 480}\n"
    )


@pytest.fixture
def compiled() -> object:
    module = compiled_solver.compiled_solver_module()
    if module is None:
        if os.environ.get("MONOCUT_REQUIRE_COMPILED"):
            pytest.fail("MONOCUT_REQUIRE_COMPILED is set but the compiled solver is not built")
        pytest.skip("the compiled solver is not built here")
    return module


@pytest.fixture
def fresh_choice() -> Iterator[None]:
    compiled_solver.compiled_solver_module.cache_clear()
    yield
    compiled_solver.compiled_solver_module.cache_clear()


def imports_of(root: Path) -> ImportGraph:
    return resolve_imports(collect_facts(discover(root, include_tests=True).files, jobs=1).facts)


def solved(solver: type, imports: ImportGraph) -> tuple:
    result = solver(imports).solve()
    sites = result.sites
    return (
        [astuple(edge) for edge in result.edges],
        (sites.internal, sites.external, sites.unresolved),
        result.modules,
        result.inheritance,
        result.entries,
        result.classes,
    )


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param(MIXED, id="mixed"),
        pytest.param({"app.py": TEMPLATE}, id="template-method"),
        pytest.param({"app.py": DIAMOND.format(cached="    pass")}, id="diamond"),
        pytest.param(None, id="sample-monolith"),
        pytest.param({"deep.py": deep_source()}, id="deep-nesting"),
    ],
)
def test_the_compiled_solver_finds_exactly_what_the_python_one_finds(
    tmp_path: Path, compiled: object, tree: dict[str, str] | None
) -> None:
    imports = imports_of(SAMPLE if tree is None else write_tree(tmp_path, tree))
    python = solved(points_to.PointsToSolver, imports)
    assert python[0], "the tree has calls"
    assert solved(compiled.PointsToSolver, imports) == python  # type: ignore[attr-defined]


def test_the_compiled_solver_is_chosen_when_built_from_this_source(
    compiled: object, fresh_choice: None
) -> None:
    assert compiled_solver.solver_class() is compiled.PointsToSolver  # type: ignore[attr-defined]


def test_a_build_from_another_source_is_not_used(
    compiled: object, fresh_choice: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled, "COMPILED_FROM", "0" * 64)
    assert compiled_solver.solver_class() is points_to.PointsToSolver


def test_without_a_build_the_python_solver_is_used(
    fresh_choice: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled_solver, "COMPILED_MODULE", "analyzer._no_such_module")
    assert compiled_solver.solver_class() is points_to.PointsToSolver
