"""Precision and recall of monocut's call graph on the hand-checked call-graph cases.

Every case directory under tests/callgraph_cases/<category>/<case>/ is analyzed as its own root
and its call graph (the `monocut callgraph` adjacency format) is compared edge by edge with the
expected `callgraph.json`:

    python benchmarks/callgraph_quality.py [--cases DIR] [--verbose] [--json FILE]

Prints precision and recall per category and overall, micro-averaged (counts summed over the
cases, as PyCG's evaluation does), with the number of cases and of expected and found edges.
`--verbose` also lists each case's extra (found, not expected) and missing edges. A case that
cannot be analyzed counts every expected edge as missing and is listed as an error. This is a
report: it exits 0 whatever the scores (2 only on a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from analyzer.callgraph_quality import (
    CaseResult,
    EdgeScore,
    by_category,
    compare,
    find_cases,
    read_expected,
)
from analyzer.pipeline import AnalysisSettings, analyze

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CASES = REPO / "tests" / "callgraph_cases"


def run_case(case: Path) -> tuple[CaseResult, str | None]:
    """The case's result, and the error (one line) if monocut could not analyze it."""
    expected = read_expected(case)
    try:
        analysis = analyze(case, AnalysisSettings(jobs=1))
        actual = analysis.calls.adjacency()
        error = None
    except Exception as exc:  # a report: one broken case must not hide the others
        actual = {}
        error = f"{type(exc).__name__}: {exc}"
        if not str(exc):
            error += " " + traceback.format_exc().strip().splitlines()[-2].strip()
    return compare(case.parent.name, case.name, expected, actual), error


def row(name: str, cases: int, score: EdgeScore) -> str:
    expected = score.correct + score.missing
    found = score.correct + score.extra
    return (
        f"{name:<18} {cases:>5} {expected:>8} {found:>6} {score.correct:>7} "
        f"{score.extra:>5} {score.missing:>7} {score.precision:>9.1%} {score.recall:>7.1%}"
    )


def as_json(cases: int, score: EdgeScore) -> dict[str, object]:
    return {
        "cases": cases,
        "expected_edges": score.correct + score.missing,
        "found_edges": score.correct + score.extra,
        "correct": score.correct,
        "extra": score.extra,
        "missing": score.missing,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        type=Path,
        default=DEFAULT_CASES,
        help="directory of <category>/<case>/callgraph.json (default: tests/callgraph_cases)",
    )
    parser.add_argument("--verbose", action="store_true", help="list extra/missing edges per case")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write per-category numbers")
    args = parser.parse_args()
    if not args.cases.is_dir():
        parser.error(f"{args.cases}: not a directory")
    cases = find_cases(args.cases)
    if not cases:
        parser.error(f"{args.cases}: no <category>/<case>/callgraph.json found")

    start = time.perf_counter()
    results: list[CaseResult] = []
    errors: dict[tuple[str, str], str] = {}
    for case in cases:
        result, error = run_case(case)
        results.append(result)
        if error is not None:
            errors[result.category, result.name] = error
    elapsed = time.perf_counter() - start

    if args.verbose:
        for result in results:
            error = errors.get((result.category, result.name))
            if not (result.extra or result.missing or error):
                continue
            s = result.score
            print(
                f"{result.category}/{result.name}: precision {s.precision:.1%}, "
                f"recall {s.recall:.1%}"
            )
            if error:
                print(f"  error: {error}")
            for caller, callee in result.extra:
                print(f"  + {caller} -> {callee}")
            for caller, callee in result.missing:
                print(f"  - {caller} -> {callee}")
        print()

    counts: dict[str, int] = {}
    for result in results:
        counts[result.category] = counts.get(result.category, 0) + 1
    categories = by_category(results)
    overall = sum(categories.values(), EdgeScore(0, 0, 0))

    print(f"call-graph cases: {args.cases}")
    header = (
        f"{'category':<18} {'cases':>5} {'expected':>8} {'found':>6} {'correct':>7} "
        f"{'extra':>5} {'missing':>7} {'precision':>9} {'recall':>7}"
    )
    print(header)
    print("-" * len(header))
    for category, score in categories.items():
        print(row(category, counts[category], score))
    print("-" * len(header))
    print(row("overall (micro)", len(results), overall))
    perfect = sum(1 for r in results if not r.extra and not r.missing)
    print(
        f"\n{perfect}/{len(results)} cases exact; {len(errors)} failed to analyze; "
        f"{elapsed:.1f} s (jobs=1, no cache)"
    )
    if errors and not args.verbose:
        for (category, name), error in sorted(errors.items()):
            print(f"  error in {category}/{name}: {error}")

    if args.json:
        report = {
            "categories": {c: as_json(counts[c], s) for c, s in categories.items()},
            "overall": as_json(len(results), overall),
            "errors": {f"{c}/{n}": e for (c, n), e in sorted(errors.items())},
        }
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
