"""`monocut trend` over N commits against N separate analyses of the same commits.

    python benchmarks/trend_speed.py [--repo DIR] [--commits N] [--jobs N] [--plan FILE]

By default the repository is monocut's own (this checkout) and N is 50. The plan is proposed
by `monocut plan` on the working tree (or given with --plan). Then, in one run:

1. **trend**: `analyzer.history.trend` over the last N commits, with an empty facts cache in a
   temporary directory, exactly as `monocut trend --commits N` runs it (files read from git
   objects, each distinct blob parsed once);
2. **separate**: for each of the same commits, `git archive` into a fresh directory and a full
   `analyzer.pipeline.analyze` of it with no cache (what running monocut on N checkouts costs),
   then the same metrics under the same plan mapping.

Prints both wall times, the ratio, the files parsed by each, and whether the metrics agree
commit by commit (ICP, cross-service dependency count, per-service coupling; they must).
Nothing here touches the network. Exit code 0 whatever the times; 1 if the metrics disagree.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analyzer.cache import FactsCache  # noqa: E402
from analyzer.history import FactsStore, list_commits, map_plan, trend  # noqa: E402
from analyzer.metrics import icp, service_coupling, service_dependency_graph  # noqa: E402
from analyzer.pipeline import AnalysisSettings, analyze  # noqa: E402
from analyzer.plan import DecompositionPlan, read_plan  # noqa: E402


def propose_plan(repo: Path, work: Path) -> Path:
    plan_file = work / "plan.yaml"
    subprocess.run(
        [sys.executable, "-m", "monocut", "plan", str(repo), "-o", str(plan_file)]
        + ["--no-cochange", "--no-cache", "--quiet"],
        check=True,
        cwd=REPO,
    )
    return plan_file


def export_commit(repo: Path, commit: str, target: Path) -> None:
    """The tree of `commit` under `target`, by `git archive` (the repository is untouched)."""
    data = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", commit],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")


def separate_analyses(
    repo: Path, plan: DecompositionPlan, commits: list[str], jobs: int, work: Path
) -> tuple[list[tuple[float, int, dict[str, float]]], int]:
    """Per commit: (ICP, cross-service dependencies, per-service coupling); and files parsed."""
    results: list[tuple[float, int, dict[str, float]]] = []
    parsed = 0
    recorded = plan.settings
    settings = AnalysisSettings(
        excludes=tuple(recorded.get("excludes", ())),
        include_tests=bool(recorded.get("include_tests", False)),
        jobs=jobs,
        cache_dir=None,
        cochange=False,
    )
    for n, commit in enumerate(commits):
        tree = work / f"commit-{n:03d}"
        export_commit(repo, commit, tree)
        analysis = analyze(tree, settings)
        parsed += len(analysis.facts) + len(analysis.problems)
        partition = map_plan(plan, analysis.modules)
        graph = analysis.dependencies
        sdg = service_dependency_graph(graph, partition)
        crossing = sum(int(data.get("edges", 0)) for _, _, data in sdg.edges(data=True))
        coupling = {s: round(v, 4) + 0.0 for s, v in service_coupling(graph, partition).items()}
        results.append((round(icp(graph, partition), 4) + 0.0, crossing, coupling))
    return results, parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="git repository (default: monocut)")
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--plan", type=Path, help="plan to map (default: monocut plan of HEAD)")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    with tempfile.TemporaryDirectory(prefix="monocut-trend-bench-") as temp:
        work = Path(temp)
        plan_file = args.plan or propose_plan(repo, work)
        plan = read_plan(plan_file, check_dependencies=False)
        history = list_commits(repo, commits=args.commits)
        print(
            f"{repo.name}: {len(history)} commits, plan with {len(plan.services)} services, "
            f"jobs={args.jobs}, {os.cpu_count()} cores"
        )

        cache = FactsCache(work / "cache")
        store = FactsStore(cache, jobs=args.jobs)
        start = time.perf_counter()
        points = trend(
            repo,
            plan,
            commits=args.commits,
            excludes=tuple(plan.settings.get("excludes", ())),
            include_tests=bool(plan.settings.get("include_tests", False)),
            store=store,
        )
        trend_seconds = time.perf_counter() - start
        cache.close()

        start = time.perf_counter()
        separate, separate_parsed = separate_analyses(
            repo, plan, [p.commit for p in points], args.jobs, work
        )
        separate_seconds = time.perf_counter() - start

    disagreements = [
        (p.commit[:10], (p.icp, p.cross_service_dependencies, dict(p.service_coupling)), other)
        for p, other in zip(points, separate, strict=True)
        if (p.icp, p.cross_service_dependencies, dict(p.service_coupling)) != other
    ]
    print(f"{'method':<40} {'seconds':>9} {'files parsed':>13}")
    print(f"{'monocut trend (empty cache)':<40} {trend_seconds:>9.1f} {store.parsed:>13}")
    print(
        f"{'separate analyses (git archive + analyze)':<40} {separate_seconds:>9.1f} "
        f"{separate_parsed:>13}"
    )
    print(f"ratio separate / trend: {separate_seconds / trend_seconds:.1f}x")
    print(
        f"metrics agree on {len(points) - len(disagreements)} of {len(points)} commits "
        "(ICP, cross-service dependencies, per-service coupling)"
    )
    for commit, ours, theirs in disagreements[:10]:
        print(f"  {commit}: trend {ours} != separate {theirs}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
