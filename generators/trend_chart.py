"""The coupling trend as files: JSON (versioned), CSV and a self-contained SVG line chart.

`monocut trend` writes all three; the HTML report embeds the chart when given a trend.json,
which `read_trend_json` reads back into TrendPoints (a bad file is a ValueError naming it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from analyzer.history import TrendPoint

TREND_SCHEMA_VERSION = 1

#: Colours of the per-service coupling lines, cycled (the ICP and dependency lines have their own).
SERVICE_COLOURS = (
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#ff7f0e",
)


def services_of(points: Sequence[TrendPoint]) -> list[str]:
    return sorted({s for p in points for s in p.service_coupling})


def trend_json(points: Sequence[TrendPoint]) -> str:
    data = {
        "schema_version": TREND_SCHEMA_VERSION,
        "services": services_of(points),
        "points": [p.as_dict() for p in points],
    }
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def read_trend_json(path: Path) -> tuple[TrendPoint, ...]:
    """The points of a trend.json written by `trend_json`; ValueError on anything else."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read trend file {str(path)!r}: {error}") from None
    if not isinstance(data, dict) or data.get("schema_version") != TREND_SCHEMA_VERSION:
        raise ValueError(
            f"{path}: not a monocut trend file (expected schema_version {TREND_SCHEMA_VERSION})"
        )
    points: list[TrendPoint] = []
    try:
        for raw in data["points"]:
            points.append(
                TrendPoint(
                    commit=str(raw["commit"]),
                    date=str(raw["date"]),
                    subject=str(raw["subject"]),
                    modules=int(raw["modules"]),
                    icp=float(raw["icp"]),
                    cross_service_dependencies=int(raw["cross_service_dependencies"]),
                    service_coupling={
                        str(k): float(v) for k, v in dict(raw["service_coupling"]).items()
                    },
                    service_cycles=int(raw.get("service_cycles", 0)),
                )
            )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: malformed trend point ({error})") from None
    return tuple(points)


def trend_csv(points: Sequence[TrendPoint]) -> str:
    services = services_of(points)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["commit", "date", "icp", "cross_service_dependencies", "service_cycles", *services]
    )
    for p in points:
        coupling = [
            "" if s not in p.service_coupling else f"{p.service_coupling[s]:.4f}" for s in services
        ]
        writer.writerow(
            [
                p.commit,
                p.date,
                f"{p.icp:.4f}",
                p.cross_service_dependencies,
                p.service_cycles,
                *coupling,
            ]
        )
    return buffer.getvalue()


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def trend_svg(points: Sequence[TrendPoint]) -> str:
    """A self-contained line chart, oldest commit on the left: ICP and each service's
    coupling (left axis, 0-1; services as thin lines, named in the legend below) and the
    cross-service dependency count (right axis)."""
    services = services_of(points)
    legend_rows = (len(services) + 3) // 4
    width, height = 760, 380 + 16 * legend_rows
    left, right, top, bottom = 60, 60, 40, 70 + 16 * legend_rows
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
        "<title>monocut trend: ICP, cross-service dependencies and per-service coupling "
        "per commit</title>",
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
    for n, service in enumerate(services):
        colour = SERVICE_COLOURS[n % len(SERVICE_COLOURS)]
        line = " ".join(
            f"{_fmt(x(i))},{_fmt(y(p.service_coupling[service]))}"
            for i, p in enumerate(points)
            if service in p.service_coupling
        )
        name = quoteattr(service)
        out.append(
            f'<polyline class="service-coupling" data-service={name} '
            f'fill="none" stroke="{colour}" stroke-width="1" stroke-opacity="0.7" '
            f'points="{line}"><title>{escape(service)} coupling</title></polyline>'
        )
        lx = left + (n % 4) * (plot_w / 4)
        ly = height - 16 * (legend_rows - n // 4) + 4
        out.append(
            f'<line x1="{_fmt(lx)}" y1="{ly - 4}" x2="{_fmt(lx + 14)}" y2="{ly - 4}" '
            f'stroke="{colour}"/>'
            f'<text x="{_fmt(lx + 18)}" y="{ly}">{escape(service[:28])}</text>'
        )
    out += [
        f'<text x="{left}" y="{top - 22}" font-size="13">ICP, cross-service dependencies and '
        f"per-service coupling over {count} commit{'s' if count != 1 else ''}</text>",
        f'<text x="{left}" y="{top - 8}" fill="#1f77b4">ICP and coupling (left axis)</text>',
        f'<text x="{left + plot_w}" y="{top - 8}" text-anchor="end" fill="#d62728">'
        "cross-service dependencies (right axis)</text>",
        f'<polyline class="icp" fill="none" stroke="#1f77b4" stroke-width="2.5" '
        f'points="{icp_line}"/>',
        f'<polyline class="cross-service-dependencies" fill="none" stroke="#d62728" '
        f'stroke-width="2.5" stroke-dasharray="6 3" points="{deps_line}"/>',
        "</svg>",
    ]
    return "\n".join(out) + "\n"
