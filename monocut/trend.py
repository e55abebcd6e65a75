"""`monocut trend`: the plan's coupling metrics over the git history of the analyzed tree.

Registered at the end of monocut.cli with `app.command("trend")(trend.trend_command)` (this
module imports monocut.cli at its own end, so either can be imported first). Writes trend.json,
trend.csv and trend.svg into the output directory; errors (not a git repository, a bad plan)
are ValueError/PlanError/UserError, mapped to one line and exit code 2 by `monocut.cli.main`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated
from xml.sax.saxutils import escape

import typer

from analyzer.cache import FactsCache
from analyzer.history import FactsStore, TrendPoint, trend
from analyzer.plan import read_plan

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

TREND_SCHEMA_VERSION = 1


def services_of(points: Sequence[TrendPoint]) -> list[str]:
    return sorted({s for p in points for s in p.service_coupling})


def trend_json(points: Sequence[TrendPoint]) -> str:
    data = {
        "schema_version": TREND_SCHEMA_VERSION,
        "services": services_of(points),
        "points": [p.as_dict() for p in points],
    }
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def trend_csv(points: Sequence[TrendPoint]) -> str:
    services = services_of(points)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["commit", "date", "icp", "cross_service_dependencies", *services])
    for p in points:
        coupling = [
            "" if s not in p.service_coupling else f"{p.service_coupling[s]:.4f}" for s in services
        ]
        writer.writerow([p.commit, p.date, f"{p.icp:.4f}", p.cross_service_dependencies, *coupling])
    return buffer.getvalue()


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def trend_svg(points: Sequence[TrendPoint]) -> str:
    """A self-contained line chart: ICP (left axis, 0-1) and the cross-service dependency
    count (right axis) per commit, oldest on the left."""
    width, height = 720, 360
    left, right, top, bottom = 60, 60, 40, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(points)
    top_count = max([p.cross_service_dependencies for p in points] + [1])

    def x(i: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y(fraction: float) -> float:
        return top + plot_h * (1 - fraction)

    icp_line = " ".join(f"{_fmt(x(i))},{_fmt(y(p.icp))}" for i, p in enumerate(points))
    deps_line = " ".join(
        f"{_fmt(x(i))},{_fmt(y(p.cross_service_dependencies / top_count))}"
        for i, p in enumerate(points)
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>monocut trend: ICP and cross-service dependencies per commit</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333333"/>',
        f'<line x1="{left + plot_w}" y1="{top}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#333333"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#333333"/>',
    ]
    for step in range(5):
        fraction = step / 4
        yy = _fmt(y(fraction))
        out.append(f'<line x1="{left}" y1="{yy}" x2="{left + plot_w}" y2="{yy}" stroke="#e0e0e0"/>')
        out.append(
            f'<text x="{left - 6}" y="{yy}" text-anchor="end" dominant-baseline="middle" '
            f'fill="#1f77b4">{fraction:.2f}</text>'
        )
        out.append(
            f'<text x="{left + plot_w + 6}" y="{yy}" dominant-baseline="middle" '
            f'fill="#d62728">{top_count * fraction:g}</text>'
        )
    for i, p in enumerate(points):
        label = escape(p.commit[:7])
        xx = _fmt(x(i))
        out.append(
            f'<text x="{xx}" y="{top + plot_h + 14}" text-anchor="end" '
            f'transform="rotate(-45 {xx} {top + plot_h + 14})">{label}</text>'
        )
    out += [
        f'<text x="{left}" y="{top - 22}" font-size="13">ICP and cross-service dependencies '
        f"over {count} commit{'s' if count != 1 else ''}</text>",
        f'<text x="{left}" y="{top - 8}" fill="#1f77b4">ICP (left axis)</text>',
        f'<text x="{left + plot_w}" y="{top - 8}" text-anchor="end" fill="#d62728">'
        "cross-service dependencies (right axis)</text>",
        f'<polyline class="icp" fill="none" stroke="#1f77b4" stroke-width="2" '
        f'points="{icp_line}"/>',
        f'<polyline class="cross-service-dependencies" fill="none" stroke="#d62728" '
        f'stroke-width="2" stroke-dasharray="6 3" points="{deps_line}"/>',
        "</svg>",
    ]
    return "\n".join(out) + "\n"


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
        store = FactsStore(cache, jobs=jobs or config.jobs)
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
