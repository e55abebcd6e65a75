"""Speed and memory of monocut's full analysis on big real trees, against a bare libcst parse
and grimp's import graph, with the ratios issue 7 targets.

    python benchmarks/scale.py [--cache-dir DIR] [--jobs N] [--repeat N] [--timeout S]
        [--trees django,sympy,million] [--kinds parse,cold,warm,grimp[,edited]]

Trees (pinned releases from PyPI, fetched once into --cache-dir with `pip download --no-deps
--only-binary :all:`, then offline; tests included, as grimp reads them):

- django: the `django` package of Django 5.1.4 (about 150,000 lines);
- sympy: the `sympy` package of SymPy 1.13.3 (about 740,000 lines);
- million: sympy, django and weblate 5.8.4 side by side in one root (about 1,045,000 lines).

Per tree, each measurement in a fresh subprocess (its own process group):

- parse: `libcst.parse_module` on every file's text, one process (the floor of any
  libcst-based analysis);
- cold: `analyzer.pipeline.analyze` as the CLI runs it (discover, parse with `--jobs`
  workers, resolve imports, call graph, signals, co-change) with an empty facts cache;
- warm: the same again, with the cache the cold run filled (facts and the whole analysis);
- edited (with `--kinds ...,edited`): a copy of the tree with one comment line appended to one
  module, analyzed with that cache: every other file's facts come from it, but the call graph
  is computed again (the case of a CI run after a small change);
- grimp: `grimp.build_graph(...)` of the tree's packages, no cache (`pip install grimp`;
  a benchmark-only dependency).

Peak memory is the largest summed resident set of the subprocess and every process it
started (parse workers, the forkserver), sampled every 50 ms from /proc; "self" is the
subprocess's own ru_maxrss. With --repeat N, every time is the median of N runs (interleaved)
and every peak the largest. Timings on a shared machine are noisy: rerun before trusting a
small difference.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import (  # noqa: E402
    DEFAULT_CACHE,
    combined_tree,
    fetch_source,
    print_json_result,
    run_child,
    top_level_package,
)

from analyzer.compiled_solver import solver_description  # noqa: E402

DJANGO = "django==5.1.4"
SYMPY = "sympy==1.13.3"
WEBLATE = "weblate==5.8.4"
TREES: dict[str, tuple[str, ...]] = {
    "django": (DJANGO,),
    "sympy": (SYMPY,),
    "million": (SYMPY, DJANGO, WEBLATE),
}
GIB = 1024 * 1024  # KiB


KINDS = ("parse", "cold", "warm", "grimp")
ALL_KINDS = (*KINDS, "edited")


# -- the child side ------------------------------------------------------------------------


def measure(kind: str, root: Path, packages: list[str], jobs: int, cache: Path) -> dict[str, Any]:
    """One measurement in this process: seconds, lines, files and ru_maxrss (KiB)."""
    result: dict[str, Any] = {}
    if kind == "parse":
        import libcst

        from analyzer.discover import discover

        files = discover(root, include_tests=True).files
        texts = [source.path.read_bytes().decode("utf-8", "replace") for source in files]
        failed = 0
        start = time.perf_counter()
        for text in texts:
            try:
                libcst.parse_module(text)
            except Exception:  # noqa: BLE001 - counted; the reference run goes on
                failed += 1
        result["seconds"] = time.perf_counter() - start
        result["files"] = len(texts)
        result["lines"] = sum(text.count("\n") for text in texts)
        result["failed"] = failed
    elif kind in ("cold", "warm", "edited"):
        from analyzer.pipeline import AnalysisSettings, analyze

        settings = AnalysisSettings(include_tests=True, jobs=jobs, cache_dir=cache)
        if kind == "edited":
            root = edited_copy(root, cache.parent / f"{cache.name}-edited")
        start = time.perf_counter()
        analysis = analyze(root, settings)
        result["seconds"] = time.perf_counter() - start
        result["files"] = len(analysis.facts)
        result["lines"] = sum(f.total_lines for f in analysis.facts)
        result["cache_hits"] = analysis.cache_hits
        result["stages"] = dict(analysis.timings)
        result["call_edges"] = len(analysis.calls.packed_calls) + len(analysis.calls.external_calls)
        result["import_edges"] = analysis.imports.graph.number_of_edges()
    else:
        import grimp

        sys.path.insert(0, str(root))
        start = time.perf_counter()
        graph = grimp.build_graph(*packages, cache_dir=None)
        result["seconds"] = time.perf_counter() - start
        result["files"] = len(graph.modules)
    result["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def edited_copy(root: Path, target: Path) -> Path:
    """A copy of `root` under `target` with a comment line appended to one module (the
    first non-package module in discovery order): a one-file change."""
    from analyzer.discover import discover

    shutil.rmtree(target, ignore_errors=True)
    target = target / root.name  # the same name: a package root names the modules
    shutil.copytree(root, target)
    files = discover(target, include_tests=True).files
    module = next(f for f in files if not f.is_package)
    with module.path.open("a", encoding="utf-8") as handle:
        handle.write("\n# edited by benchmarks/scale.py\n")
    return target


# -- the parent side -----------------------------------------------------------------------


@dataclass
class Tree:
    name: str
    root: Path
    packages: list[str]
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def seconds(self, kind: str) -> float | None:
        runs = self.runs.get(kind)
        return statistics.median(r["seconds"] for r in runs) if runs else None

    def peak_kib(self, kind: str) -> int | None:
        runs = self.runs.get(kind)
        return max(r["tree_peak_kib"] for r in runs) if runs else None

    def self_kib(self, kind: str) -> int | None:
        runs = self.runs.get(kind)
        return max(r["maxrss_kib"] for r in runs) if runs else None

    def last(self, kind: str, key: str) -> Any:
        runs = self.runs.get(kind)
        return runs[-1].get(key) if runs else None


def prepare(name: str, cache: Path) -> Tree:
    requirements = TREES[name]
    parts = []
    for requirement in requirements:
        unpacked = fetch_source(requirement, cache)
        parts.append((unpacked, top_level_package(unpacked, requirement)))
    if len(parts) == 1:
        unpacked, package = parts[0]
        return Tree(name, unpacked / package, [package])
    label = "+".join(r.replace("==", "-") for r in requirements)
    root = combined_tree(parts, cache / "trees" / label)
    return Tree(name, root, [package for _, package in parts])


def run_one(tree: Tree, kind: str, args: argparse.Namespace, facts_cache: Path) -> None:
    if kind in tree.errors:
        return
    root = tree.root.parent if len(tree.packages) == 1 else tree.root
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", kind]
    command += ["--root", str(tree.root), "--grimp-path", str(root)]
    command += ["--jobs", str(args.jobs), "--facts-cache", str(facts_cache)]
    command += ["--packages", ",".join(tree.packages)]
    print(f"  {tree.name}: {kind} ...", file=sys.stderr, flush=True)
    result = run_child(command, args.timeout)
    if "error" in result:
        tree.errors[kind] = result["error"]
        print(f"    {result['error']}", file=sys.stderr)
        return
    tree.runs.setdefault(kind, []).append(result)
    print(
        f"    {result['seconds']:.2f} s, peak {result['tree_peak_kib'] / 1024:,.0f} MiB",
        file=sys.stderr,
    )


def cell_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def cell_mib(value: int | None) -> str:
    return "-" if value is None else f"{value / 1024:,.0f}"


def print_table(trees: list[Tree], kinds: tuple[str, ...]) -> None:
    header = f"{'tree':<8} {'files':>6} {'lines':>10}" + "".join(
        f" {k + ' s':>9} {k + ' MiB':>10}" for k in kinds
    )
    print(header)
    print("-" * len(header))
    for tree in trees:
        files = tree.last("cold", "files") or tree.last("parse", "files")
        lines = tree.last("parse", "lines")
        row = f"{tree.name:<8} {files or '-':>6} {lines or 0:>10,}"
        for kind in kinds:
            seconds = tree.seconds(kind)
            text = cell_seconds(seconds) if kind not in tree.errors else "FAILED"
            row += f" {text:>9} {cell_mib(tree.peak_kib(kind)):>10}"
        print(row)
    print()
    stage_names: list[str] = []
    for tree in trees:
        for kind in ("cold", "warm", "edited"):
            for stage in tree.last(kind, "stages") or {}:
                if stage not in stage_names:
                    stage_names.append(stage)
    if stage_names:
        print("stages of the last cold / warm / edited run, seconds:")
        for tree in trees:
            for kind in ("cold", "warm", "edited"):
                stages = tree.last(kind, "stages")
                if stages:
                    cells = ", ".join(f"{s} {stages[s]:.2f}" for s in stage_names if s in stages)
                    print(f"  {tree.name} {kind}: {cells}")
        print()


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def print_ratios(trees: dict[str, Tree]) -> None:
    django, sympy, million = (trees.get(n) for n in ("django", "sympy", "million"))
    if django and django.seconds("cold") and django.seconds("parse"):
        cold, parse = django.seconds("cold"), django.seconds("parse")
        assert cold is not None and parse is not None
        ratio = cold / parse
        print(
            f"django cold / bare libcst parse = {cold:.2f} / {parse:.2f} s = {ratio:.2f}x "
            f"({verdict(ratio <= 2.0)} the <= 2.0 target)"
        )
    if sympy and sympy.seconds("warm") and sympy.seconds("grimp"):
        warm, grimp = sympy.seconds("warm"), sympy.seconds("grimp")
        assert warm is not None and grimp is not None
        ratio = warm / grimp
        print(
            f"sympy warm / grimp cold = {warm:.2f} / {grimp:.2f} s = {ratio:.1f}x "
            f"({verdict(ratio <= 1.5)} the <= 1.5 target)"
        )
    if million and million.seconds("cold"):
        cold = million.seconds("cold")
        assert cold is not None
        print(f"million cold = {cold:.1f} s ({verdict(cold < 90)} the < 90 s target)")
    if million and million.peak_kib("cold"):
        peaks = [p for p in (million.peak_kib("cold"), million.peak_kib("warm")) if p]
        peak = max(peaks)
        print(
            f"million peak memory (cold and warm, all processes) = {peak / GIB:.2f} GiB "
            f"({verdict(peak < 2 * GIB)} the < 2 GiB target)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=None, help="parse workers (default: CPUs)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement")
    parser.add_argument("--trees", default="django,sympy,million", help="comma-separated")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated, in order")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per measurement")
    parser.add_argument("--measure", choices=ALL_KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--grimp-path", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--packages", default="", help=argparse.SUPPRESS)
    parser.add_argument("--facts-cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child side
        root = args.grimp_path if args.measure == "grimp" else args.root
        packages = [p for p in args.packages.split(",") if p]
        print_json_result(measure(args.measure, root, packages, args.jobs, args.facts_cache))
        return
    names = [n.strip() for n in args.trees.split(",") if n.strip()]
    unknown = [n for n in names if n not in TREES]
    if unknown or not names:
        parser.error(f"--trees: choose among {', '.join(TREES)}")
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    if (
        not kinds
        or any(k not in ALL_KINDS for k in kinds)
        or ({"warm", "edited"} & set(kinds) and "cold" not in kinds)
    ):
        parser.error(f"--kinds: choose among {', '.join(ALL_KINDS)}; warm and edited need cold")
    if args.repeat < 1 or (args.jobs is not None and args.jobs < 1) or args.timeout <= 0:
        parser.error("--repeat and --jobs must be at least 1, --timeout positive")

    from analyzer.collect import default_jobs

    args.jobs = args.jobs or default_jobs()
    trees = [prepare(name, args.cache_dir) for name in names]
    scratch = Path(tempfile.mkdtemp(prefix="monocut-scale-"))
    try:
        for index in range(args.repeat):
            for tree in trees:
                facts_cache = scratch / f"{tree.name}-{index}"  # empty: the cold run fills it
                for kind in kinds:
                    run_one(tree, kind, args, facts_cache)
                shutil.rmtree(facts_cache, ignore_errors=True)
                shutil.rmtree(scratch / f"{facts_cache.name}-edited", ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    load = os.getloadavg()
    print()
    print(
        f"monocut scale benchmark: {os.cpu_count()} CPUs, {args.jobs} parse jobs, "
        f"{solver_description()}, "
        f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{'median of ' + str(args.repeat) + ' runs' if args.repeat > 1 else 'one run'} each, "
        "seconds; MiB = peak summed RSS of the measuring process and its workers"
    )
    print()
    print_table(trees, kinds)
    print_ratios({tree.name: tree for tree in trees})
    for tree in trees:
        for kind, why in tree.errors.items():
            print(f"! {tree.name} {kind}: {why}")


if __name__ == "__main__":
    main()
