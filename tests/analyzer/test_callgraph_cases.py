"""The call-graph case suite: every case in tests/callgraph_cases, scored against its
hand-checked expected graph (docs/callgraph-format.md), micro-averaged over all edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.callgraph_quality import (
    CaseResult,
    EdgeScore,
    by_category,
    compare,
    find_cases,
    read_expected,
)
from analyzer.pipeline import AnalysisSettings, analyze

CASES = Path(__file__).resolve().parents[1] / "callgraph_cases"
MIN_PRECISION = 0.99
MIN_RECALL = 0.95


@pytest.fixture(scope="module")
def results() -> list[CaseResult]:
    found = []
    for case in find_cases(CASES):
        analysis = analyze(case, AnalysisSettings(jobs=1))
        found.append(
            compare(case.parent.name, case.name, read_expected(case), analysis.calls.adjacency())
        )
    return found


def _describe(results: list[CaseResult]) -> str:
    lines = [
        f"{category}: precision {score.precision:.3f} recall {score.recall:.3f}"
        for category, score in by_category(results).items()
    ]
    for result in results:
        for edge in result.extra:
            lines.append(f"  extra   {result.category}/{result.name}: {edge}")
        for edge in result.missing:
            lines.append(f"  missing {result.category}/{result.name}: {edge}")
    return "\n".join(lines)


def test_the_suite_is_large_and_covers_every_category(results: list[CaseResult]) -> None:
    assert len(results) >= 120
    categories = set(by_category(results))
    assert {
        "arguments",
        "assignments",
        "builtins",
        "classes",
        "context_managers",
        "decorators",
        "dicts",
        "direct_calls",
        "dynamic",
        "exceptions",
        "functions",
        "generators",
        "imports",
        "keyword_arguments",
        "lambdas",
        "lists",
        "mro",
        "returns",
    } <= categories


def test_micro_averaged_precision_and_recall(results: list[CaseResult]) -> None:
    total = sum((r.score for r in results), EdgeScore(0, 0, 0))
    assert total.precision >= MIN_PRECISION, _describe(results)
    assert total.recall >= MIN_RECALL, _describe(results)


def test_every_expected_graph_is_canonical() -> None:
    for case in find_cases(CASES):
        graph = read_expected(case)
        assert list(graph) == sorted(graph), case
        for callees in graph.values():
            assert callees == sorted(set(callees)), case
