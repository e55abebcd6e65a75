"""Time monocut's import graph against grimp's on real public code, and compare the edges.

Downloads the source of a PyPI distribution once into a cache directory (the only network use,
and only here, never in tests), then builds the internal import graph with both tools:

    python benchmarks/import_graph_vs_grimp.py [--package django==5.1.4] [--cache DIR] [--jobs N]

Prints wall times, the ratio monocut/grimp, lines per second, and how far the two graphs agree
(grimp's edges are the reference: precision and recall of monocut's module edges). Requires
`pip install grimp`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import fetch_source, top_level_package  # noqa: E402

from analyzer.pipeline import AnalysisSettings, analyze  # noqa: E402


def run_grimp(root: Path, package: str) -> tuple[float, set[tuple[str, str]]]:
    import grimp

    sys.path.insert(0, str(root))
    start = time.perf_counter()
    graph = grimp.build_graph(package, cache_dir=None)
    elapsed = time.perf_counter() - start
    edges = {
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    }
    return elapsed, edges


def run_monocut(root: Path, package: str, jobs: int) -> tuple[float, set[tuple[str, str]], int]:
    start = time.perf_counter()
    analysis = analyze(root / package, AnalysisSettings(jobs=jobs, include_tests=True))
    elapsed = time.perf_counter() - start
    lines = sum(f.total_lines for f in analysis.facts)
    return elapsed, set(analysis.imports.graph.edges), lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="django==5.1.4")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "monocut-bench")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    root = fetch_source(args.package, args.cache)
    package = top_level_package(root, args.package)
    grimp_time, grimp_edges = run_grimp(root, package)
    monocut_time, monocut_edges, lines = run_monocut(root, package, args.jobs)
    # Compare on the modules both tools see (monocut skips tests and migrations by default).
    grimp_modules = {m for edge in grimp_edges for m in edge}
    monocut_modules = {m for edge in monocut_edges for m in edge}
    shared = grimp_modules & monocut_modules
    grimp_edges = {e for e in grimp_edges if e[0] in shared and e[1] in shared}
    monocut_edges = {e for e in monocut_edges if e[0] in shared and e[1] in shared}
    common = grimp_edges & monocut_edges
    print(f"{args.package}: {lines} lines")
    print(f"grimp   {grimp_time:7.2f} s  {len(grimp_edges)} edges")
    print(
        f"monocut {monocut_time:7.2f} s  {len(monocut_edges)} edges  ({args.jobs} jobs, no cache)"
    )
    print(
        f"ratio monocut/grimp: {monocut_time / grimp_time:.1f}x;"
        f" monocut {lines / monocut_time:,.0f} lines/s"
    )
    print(
        f"edge agreement with grimp: precision {len(common) / max(len(monocut_edges), 1):.3f}, "
        f"recall {len(common) / max(len(grimp_edges), 1):.3f}"
    )


if __name__ == "__main__":
    main()
