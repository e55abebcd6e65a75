"""Edge precision and recall of a call graph against a hand-written expected one.

Used by the call-graph case suite (tests/callgraph_cases) and its benchmark. Both graphs are in
the adjacency format of docs/callgraph-format.md; an edge is a (caller, callee) pair, and keys
without callees add no edge. Precision = found-and-expected / found, recall =
found-and-expected / expected, micro-averaged by summing the counts over cases (as PyCG's
evaluation does).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

EXPECTED_FILE = "callgraph.json"


@dataclass(frozen=True)
class EdgeScore:
    """Counts of correct (true positive), extra (false positive) and missing edges."""

    correct: int
    extra: int
    missing: int

    def __add__(self, other: EdgeScore) -> EdgeScore:
        return EdgeScore(
            self.correct + other.correct, self.extra + other.extra, self.missing + other.missing
        )

    @property
    def precision(self) -> float:
        found = self.correct + self.extra
        return self.correct / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.correct + self.missing
        return self.correct / expected if expected else 1.0


@dataclass(frozen=True)
class CaseResult:
    category: str
    name: str
    score: EdgeScore
    extra: tuple[tuple[str, str], ...]
    missing: tuple[tuple[str, str], ...]


def edges(graph: Mapping[str, Sequence[str]]) -> set[tuple[str, str]]:
    return {(caller, callee) for caller, callees in graph.items() for callee in callees}


def compare(
    category: str,
    name: str,
    expected: Mapping[str, Sequence[str]],
    actual: Mapping[str, Sequence[str]],
) -> CaseResult:
    want, got = edges(expected), edges(actual)
    score = EdgeScore(len(want & got), len(got - want), len(want - got))
    return CaseResult(category, name, score, tuple(sorted(got - want)), tuple(sorted(want - got)))


def find_cases(root: Path) -> list[Path]:
    """Case directories under `root` (`<category>/<case>/callgraph.json`), sorted."""
    return sorted(p.parent for p in root.glob(f"*/*/{EXPECTED_FILE}"))


def read_expected(case: Path) -> dict[str, list[str]]:
    return json.loads((case / EXPECTED_FILE).read_text(encoding="utf-8"))


def by_category(results: Iterable[CaseResult]) -> dict[str, EdgeScore]:
    totals: dict[str, EdgeScore] = {}
    for result in results:
        totals[result.category] = totals.get(result.category, EdgeScore(0, 0, 0)) + result.score
    return dict(sorted(totals.items()))
