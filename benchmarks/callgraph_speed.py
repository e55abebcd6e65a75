"""Time and memory of monocut's call graph against its import graph, on Django's source.

Uses the `django` package of the Django 5.1.4 wheel, downloaded once into a cache directory the
way import_graph_vs_grimp.py does it (the only network use; none once cached):

    python benchmarks/callgraph_speed.py [--cache-dir DIR] [--repeat N] [--jobs N] [--timeout S]

Measures, in one run, each repeated N times (the median is reported):

- a bare libcst parse of every file (`libcst.parse_module` on its text, in one process),
  for reference;
- monocut's import graph alone: discover + collect_facts (parse and facts, jobs=1 and
  jobs=--jobs, no cache) + resolve_imports;
- monocut's call graph: the same plus build_call_graph, whose step is also timed alone.

Every measurement runs in a fresh subprocess, so that one does not warm or bloat the next, and
its peak memory is that subprocess's maximum resident set size (getrusage ru_maxrss) - the
main process only: parse workers (jobs > 1) are separate processes and are not included.
Then prints the ratio call graph / import graph (the target is <= 2.0) and how the call sites
resolved (internal / external / unresolved), on Django and on the bundled sample_monolith/.
A measurement that exceeds --timeout is stopped, reported as such, and not repeated.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_monolith"
REQUIREMENT = "django==5.1.4"


# -- one measurement, in a child process --------------------------------------------------


def measure(kind: str, root: Path, jobs: int, include_tests: bool) -> dict[str, Any]:
    """Run one measurement in this process; stage times in seconds, peak RSS in KiB."""
    from analyzer.discover import discover

    times: dict[str, float] = {}
    result: dict[str, Any] = {"times": times}
    start = time.perf_counter()
    discovery = discover(root, include_tests=include_tests)
    times["discover"] = time.perf_counter() - start
    result["files"] = len(discovery.files)
    if kind == "parse":
        import libcst

        texts = [source.path.read_bytes().decode("utf-8", "replace") for source in discovery.files]
        failed = 0
        start = time.perf_counter()
        for text in texts:
            try:
                libcst.parse_module(text)
            except Exception:  # noqa: BLE001 - counted, the reference run goes on
                failed += 1
        times["parse"] = time.perf_counter() - start
        result["lines"] = sum(text.count("\n") for text in texts)
        result["failed"] = failed
    else:
        from analyzer.calls import build_call_graph
        from analyzer.collect import collect_facts
        from analyzer.imports import resolve_imports

        start = time.perf_counter()
        collected = collect_facts(discovery.files, jobs=jobs, cache=None)
        times["parse"] = time.perf_counter() - start
        result["lines"] = sum(f.total_lines for f in collected.facts)
        result["failed"] = len(collected.problems)
        start = time.perf_counter()
        imports = resolve_imports(collected.facts)
        times["resolve"] = time.perf_counter() - start
        result["import_edges"] = imports.graph.number_of_edges()
        if kind == "calls":
            start = time.perf_counter()
            calls, _inheritance = build_call_graph(imports)
            times["calls"] = time.perf_counter() - start
            result["sites"] = {
                "internal": calls.sites.internal,
                "external": calls.sites.external,
                "unresolved": calls.sites.unresolved,
            }
            result["call_edges"] = sum(len(v) for v in calls.adjacency().values())
    times["total"] = sum(times.values())
    result["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def run_child(
    kind: str, root: Path, jobs: int, include_tests: bool, timeout: float
) -> dict[str, Any]:
    """One measurement in a fresh interpreter (its own process group, benchlib.run_child).
    On a timeout or a crash, {"error": why} instead of the numbers."""
    from benchlib import run_child as run_in_own_group

    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        kind,
        "--root",
        str(root),
        "--jobs",
        str(jobs),
    ]
    if include_tests:
        command.append("--include-tests")
    return run_in_own_group(command, timeout)


# -- the report ----------------------------------------------------------------------------


class Row:
    """The repeats of one measurement, summarized by their medians."""

    def __init__(self, label: str, kind: str, jobs: int) -> None:
        self.label, self.kind, self.jobs = label, kind, jobs
        self.runs: list[dict[str, Any]] = []
        self.error: str | None = None  # why the last run failed; the row is not run again
        self.timed_out = False

    def median(self, stage: str) -> float | None:
        values = [run["times"][stage] for run in self.runs if stage in run["times"]]
        return statistics.median(values) if values else None

    def last(self, key: str) -> Any:
        return self.runs[-1].get(key) if self.runs else None

    def peak_mib(self) -> float | None:
        values = [run["maxrss_kib"] / 1024 for run in self.runs]
        return statistics.median(values) if values else None


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def run_rows(rows: Sequence[Row], root: Path, args: argparse.Namespace, repeat: int) -> None:
    # Interleave the repeats (A B C, A B C, ...) so that a slow spell of the machine spreads
    # over every measurement instead of hitting one.
    for index in range(repeat):
        for row in rows:
            if row.error is not None:
                continue
            print(f"  [{index + 1}/{repeat}] {row.label} (jobs={row.jobs}) ...", file=sys.stderr)
            result = run_child(row.kind, root, row.jobs, args.include_tests, args.timeout)
            if "error" in result:
                row.error = result["error"]
                row.timed_out = bool(result.get("timeout"))
                print(f"    {row.error}", file=sys.stderr)
            else:
                row.runs.append(result)
                print(f"    {result['times']['total']:.2f} s", file=sys.stderr)


def print_timings(rows: Sequence[Row], timeout: float) -> None:
    header = (
        f"{'measurement':<26} {'jobs':>4} {'discover':>8} {'parse':>8} {'resolve':>8} "
        f"{'callgraph':>9} {'total':>9} {'lines/s':>8} {'peak RSS':>9} {'runs':>4}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        total = row.median("total")
        lines = row.last("lines")
        if row.runs:
            total_text = seconds(total) + ("*" if row.error else "")
        else:
            total_text = f">{timeout:.0f}" if row.timed_out else "FAILED"
        rate = f"{lines / total:,.0f}" if total and lines else "-"
        peak = row.peak_mib()
        print(
            f"{row.label:<26} {row.jobs:>4} {seconds(row.median('discover')):>8} "
            f"{seconds(row.median('parse')):>8} {seconds(row.median('resolve')):>8} "
            f"{seconds(row.median('calls')):>9} {total_text:>9} {rate:>8} "
            f"{'-' if peak is None else f'{peak:,.0f} MiB':>9} {len(row.runs):>4}"
        )


def print_ratios(rows: Sequence[Row], jobs_values: Sequence[int], timeout: float) -> None:
    for jobs in jobs_values:
        imports = next(r for r in rows if r.kind == "imports" and r.jobs == jobs)
        calls = next(r for r in rows if r.kind == "calls" and r.jobs == jobs)
        base, full, step = imports.median("total"), calls.median("total"), calls.median("calls")
        if not base or not full or calls.error:
            if calls.timed_out and base:
                print(
                    f"jobs={jobs}: ratio call graph / import graph > {timeout:.0f} / {base:.2f} s"
                    f" = {timeout / base:.0f}x (MISSES the <= 2.0 target; call graph timed out)"
                )
            else:
                why = imports.error or calls.error or "no run"
                print(f"jobs={jobs}: ratio call graph / import graph: n/a ({why.splitlines()[0]})")
            continue
        ratio = full / base
        verdict = "meets" if ratio <= 2.0 else "MISSES"
        print(
            f"jobs={jobs}: ratio call graph / import graph = {full:.2f} / {base:.2f} s = "
            f"{ratio:.2f}x ({verdict} the <= 2.0 target); call-graph step alone "
            f"{step:.2f} s = {step / base:.2f}x the import graph"
        )
        # The same ratio within each call-graph run (its own discover + parse + resolve as the
        # import graph), which a noisy parse stage cannot skew; median over the runs.
        same_run = statistics.median(
            run["times"]["total"] / (run["times"]["total"] - run["times"]["calls"])
            for run in calls.runs
        )
        print(f"        same-run ratio (call graph runs only): {same_run:.2f}x")


def print_sites(results: Sequence[tuple[str, dict[str, Any] | None]]) -> None:
    """Call sites by how they resolved; `None` or an error result when there is no graph."""
    header = f"{'call sites':<18} {'internal':>16} {'external':>16} {'unresolved':>16} {'total':>8}"
    print(header)
    print("-" * len(header))
    for name, result in results:
        if result is None or "sites" not in result:
            why = (result or {}).get("error", "timed out or failed").splitlines()[0]
            print(f"{name:<18} (no call graph: {why})")
            continue
        sites = result["sites"]
        total = sum(sites.values())
        cells = [
            f"{sites[k]:,} ({sites[k] / total:.1%})" if total else "0"
            for k in ("internal", "external", "unresolved")
        ]
        print(f"{name:<18} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16} {total:>8,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "monocut-bench")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--jobs", type=int, default=None, help="parse workers for the parallel runs (default: CPUs)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds before one measurement is stopped and not repeated (default 1800)",
    )
    parser.add_argument("--measure", choices=("parse", "imports", "calls"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--include-tests", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child side
        print(json.dumps(measure(args.measure, args.root, args.jobs or 1, args.include_tests)))
        return
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.timeout <= 0:
        parser.error("--timeout must be positive")

    from benchlib import fetch_source

    from analyzer.collect import default_jobs

    jobs = args.jobs or default_jobs()
    root = fetch_source(REQUIREMENT, args.cache_dir) / "django"
    jobs_values = sorted({1, jobs})
    rows = [Row("libcst parse_module only", "parse", 1)]
    rows += [Row("import graph", "imports", j) for j in jobs_values]
    rows += [Row("call graph", "calls", j) for j in jobs_values]

    args.include_tests = True  # django/test is part of Django, as in import_graph_vs_grimp.py
    print(f"measuring {REQUIREMENT} at {root}", file=sys.stderr)
    run_rows(rows, root, args, args.repeat)
    print("measuring sample_monolith (once, jobs=1)", file=sys.stderr)
    args.include_tests = False  # as `monocut analyze sample_monolith` reads it
    sample = run_child("calls", SAMPLE, 1, False, args.timeout)

    measured = [r for r in rows if r.runs]
    first = next((r for r in measured if r.kind != "parse"), measured[0] if measured else None)
    size = f"{first.last('files')} files, {first.last('lines'):,} lines" if first else "?"
    print()
    print(
        f"{REQUIREMENT}: {size} (the django/ package, tests included); "
        f"CPUs available: {default_jobs()}"
    )
    print(
        f"median of {args.repeat} runs per row, seconds; every run in a fresh subprocess; "
        "peak RSS = that subprocess's ru_maxrss\n(main process only: parse workers of jobs > 1 "
        "are not counted); parse = collect_facts (libcst + facts), no cache"
    )
    print()
    print_timings(rows, args.timeout)
    for row in rows:
        if row.error:
            why, _, tail = row.error.partition("\n")
            print(f"! {row.label} (jobs={row.jobs}): {why}; not repeated" + _ + tail)
    print()
    print_ratios(rows, jobs_values, args.timeout)
    print()
    django_result = next((r.runs[-1] for r in rows if r.kind == "calls" and r.runs), None)
    print_sites([("django", django_result), ("sample_monolith", sample)])
    if "error" not in sample:
        print(
            f"\nsample_monolith: {sample['files']} files, {sample['lines']:,} lines, "
            f"call graph in {sample['times']['total']:.2f} s "
            f"(step {sample['times']['calls']:.2f} s), {sample['call_edges']} adjacency edges"
        )
    if django_result is not None:
        print(
            f"django: {django_result['call_edges']:,} adjacency edges, "
            f"{django_result['import_edges']:,} import edges"
        )


if __name__ == "__main__":
    main()
