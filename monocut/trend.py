"""`monocut trend`: the plan's coupling metrics over the git history of the analyzed tree.

Registered at the end of monocut.cli with `app.command("trend")(trend.trend_command)` (this
module imports monocut.cli at its own end, so either can be imported first). Writes trend.json,
trend.csv and trend.svg into the output directory; errors (not a git repository, a bad plan)
are ValueError/PlanError/UserError, mapped to one line and exit code 2 by `monocut.cli.main`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analyzer.cache import FactsCache
from analyzer.collect import FileLimits
from analyzer.history import FactsStore, TrendPoint, trend
from analyzer.plan import read_plan
from generators.trend_chart import trend_csv, trend_json, trend_svg

TrendPlan = Annotated[
    Path, typer.Option("--plan", help="The plan that fixes the intended services.")
]
Commits = Annotated[
    int, typer.Option("--commits", min=1, help="Analyze the last N non-merge commits.")
]
TrendSince = Annotated[
    str | None,
    typer.Option("--since", help="Only commits newer than this git date (for example 6.months)."),
]
TrendOut = Annotated[
    Path, typer.Option("--output", "-o", help="Directory for trend.json, trend.csv, trend.svg.")
]


def summary_line(point: TrendPoint) -> str:
    return (
        f"{point.commit[:10]} {point.date[:10]}  ICP {point.icp:.4f}  "
        f"{point.cross_service_dependencies} cross-service dependencies  "
        f"{point.modules} modules  {point.subject}"
    )


def trend_command(
    path: PathArg,
    plan_file: TrendPlan,
    commits: Commits = 20,
    since: TrendSince = None,
    output_dir: TrendOut = Path("monocut-trend"),
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
) -> int:
    """The plan's ICP, cross-service dependency count and per-service coupling at each of the
    last N commits, read from git objects (no checkout): trend.json, trend.csv, trend.svg."""
    plan = read_plan(plan_file, check_dependencies=False)
    recorded = plan.settings
    config = project_config(path).with_overrides(
        exclude=tuple(recorded.get("excludes", ())) or None,
        include_tests=recorded.get("include_tests"),
    )
    cache = None if no_cache else FactsCache(cache_dir or default_cache_dir())
    try:
        limits = FileLimits(config.max_file_size or None, config.include_generated)
        store = FactsStore(cache, jobs=jobs or config.jobs, limits=limits)
        points = trend(
            path,
            plan,
            commits=commits,
            since=since,
            excludes=config.exclude,
            include_tests=config.include_tests,
            store=store,
        )
    finally:
        if cache is not None:
            cache.close()
    write_text(output_dir / "trend.json", trend_json(points))
    write_text(output_dir / "trend.csv", trend_csv(points))
    write_text(output_dir / "trend.svg", trend_svg(points))
    console = output.console(quiet)
    for point in points:
        console.print(summary_line(point), markup=False, soft_wrap=True)
    console.print(
        f"wrote trend.json, trend.csv, trend.svg to {output_dir} "
        f"({len(points)} commits, {store.parsed} files parsed, {store.cache_hits} from cache)",
        markup=False,
        soft_wrap=True,
    )
    return 0


# Imported last on purpose, as in monocut.gate: monocut.cli registers `trend_command` at its
# own end, so whichever module is imported first, every name below exists when needed.
from monocut import output  # noqa: E402
from monocut.cli import (  # noqa: E402
    CacheDir,
    Jobs,
    NoCache,
    PathArg,
    Quiet,
    default_cache_dir,
    project_config,
    write_text,
)
