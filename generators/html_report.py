"""report.html: one self-contained page for the architect reading a decomposition.

The page holds the service graph (drawn here as SVG: services sized by lines, edges weighted
by coupling), a dependency structure matrix of modules ordered by service, the metrics with
their definitions, shared data models, files that could not be analyzed and, when given, the
coupling trend chart. Its script (generators/templates/report.js, ours, inlined) adds the
interaction: a click on a service shows its modules, API, dependencies and the reasons for
each assignment; the matrix collapses by service, package or module; a search box filters
modules. Nothing is fetched: no network, no CDN, so the file works offline and in CI
artifacts. Layout is computed here, deterministically, so the same plan gives the same bytes.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jinja2
from markupsafe import Markup

from analyzer.history import TrendPoint
from analyzer.plan import DecompositionPlan
from generators.rendering import template_environment
from generators.report import ReportContext, percent
from generators.trend_chart import trend_svg

#: Name the shared library has in the matrix and the module list (not a valid service name,
#: so it can never collide with one).
SHARED_GROUP = "(shared library)"
#: Above this many modules the module list starts collapsed by service.
COLLAPSE_ABOVE = 300


@dataclass(frozen=True)
class GraphNode:
    """A service drawn as a circle: centre, radius (area grows with lines), and label."""

    service: str
    x: float
    y: float
    radius: float
    lines: int
    modules: int


@dataclass(frozen=True)
class GraphEdge:
    """A dependency between two services, drawn as a curved arrow of width ~ weight."""

    source: str
    target: str
    weight: float
    width: float
    path: str  # SVG path data


@dataclass(frozen=True)
class ServiceGraphLayout:
    width: float
    height: float
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]

    @property
    def font_size(self) -> float:
        """Labels grow with the drawing, which the page scales down to fit its column."""
        return _round(max(13.0, self.width / 55))


def _round(value: float) -> float:
    return round(value, 1) + 0.0


def circle_order(services: Sequence[str], weights: Mapping[tuple[str, str], float]) -> list[str]:
    """Services in an order that puts strongly coupled ones next to each other on the circle.

    Greedy chain growth from both ends: start from the most coupled service, then repeatedly
    attach, at whichever end it ties to most, the unplaced service with the strongest tie to
    an end (ties broken by total coupling, then name). Deterministic, whatever the input order.
    """
    undirected: dict[tuple[str, str], float] = defaultdict(float)
    for (a, b), w in weights.items():
        if a != b:
            undirected[(min(a, b), max(a, b))] += w

    def tie(a: str, b: str) -> float:
        return undirected.get((min(a, b), max(a, b)), 0.0)

    remaining = sorted(set(services))
    if not remaining:
        return []
    total = {s: sum(tie(s, t) for t in remaining) for s in remaining}

    chain = [max(remaining, key=lambda s: (total[s], [-ord(c) for c in s]))]
    remaining.remove(chain[0])
    while remaining:
        best = max(
            remaining,
            key=lambda s: (
                max(tie(s, chain[0]), tie(s, chain[-1])),
                total[s],
                [-ord(c) for c in s],
            ),
        )
        if tie(best, chain[0]) > tie(best, chain[-1]):
            chain.insert(0, best)
        else:
            chain.append(best)
        remaining.remove(best)
    return chain


def service_graph_layout(
    plan: DecompositionPlan, weights: Mapping[tuple[str, str], float]
) -> ServiceGraphLayout:
    """Services on a circle (radius grows with the sum of their sizes so none overlap), each
    drawn with an area proportional to its lines; directed edges curve to the right so that
    A -> B and B -> A stay apart."""
    lines = {s.name: s.lines for s in plan.services}
    largest = max([*lines.values(), 1])
    radius = {name: 12 + 34 * math.sqrt(n / largest) for name, n in lines.items()}
    order = circle_order(list(lines), weights)
    perimeter = sum(2 * radius[s] + 70 for s in order)
    ring = max(170.0, perimeter / (2 * math.pi))
    margin = 100
    size = 2 * (ring + margin)
    centre = size / 2
    nodes: dict[str, GraphNode] = {}
    for index, name in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(order), 1)
        if len(order) == 1:
            x, y = centre, centre
        else:
            x, y = centre + ring * math.cos(angle), centre + ring * math.sin(angle)
        service = plan.service(name)
        nodes[name] = GraphNode(
            name, _round(x), _round(y), _round(radius[name]), service.lines, len(service.modules)
        )
    heaviest = max([w for (a, b), w in weights.items() if a in nodes and b in nodes] + [1e-9])
    edges: list[GraphEdge] = []
    for (source, target), weight in sorted(weights.items()):
        if source == target or source not in nodes or target not in nodes:
            continue
        a, b = nodes[source], nodes[target]
        dx, dy = b.x - a.x, b.y - a.y
        distance = math.hypot(dx, dy) or 1.0
        ux, uy = dx / distance, dy / distance
        start = (a.x + ux * a.radius, a.y + uy * a.radius)
        end = (b.x - ux * (b.radius + 6), b.y - uy * (b.radius + 6))
        bend = 0.12 * distance
        control = ((start[0] + end[0]) / 2 - uy * bend, (start[1] + end[1]) / 2 + ux * bend)
        path = (
            f"M{_round(start[0])},{_round(start[1])} "
            f"Q{_round(control[0])},{_round(control[1])} {_round(end[0])},{_round(end[1])}"
        )
        width = _round(1 + 7 * weight / heaviest)
        edges.append(GraphEdge(source, target, round(weight, 4), width, path))
    return ServiceGraphLayout(_round(size), _round(size), tuple(nodes.values()), tuple(edges))


def _package(module: str) -> str:
    return module.rpartition(".")[0] or module


def matrix_data(plan: DecompositionPlan, context: ReportContext) -> dict[str, Any]:
    """Modules ordered by service (the shared library last), then by name, with their
    package and lines, and every dependency between them as [from index, to index, weight]."""
    groups = [s.name for s in plan.services] + ([SHARED_GROUP] if plan.shared.modules else [])
    members = [(s.name, sorted(s.modules)) for s in plan.services]
    if plan.shared.modules:
        members.append((SHARED_GROUP, sorted(plan.shared.modules)))
    modules: list[list[Any]] = []
    index: dict[str, int] = {}
    for group_index, (_, names) in enumerate(members):
        for name in names:
            index[name] = len(modules)
            modules.append([name, group_index, _package(name), context.module_lines.get(name, 0)])
    edges = [
        [index[u], index[v], w]
        for u, v, w in context.module_dependencies
        if u in index and v in index
    ]
    shared = groups.index(SHARED_GROUP) if SHARED_GROUP in groups else -1
    return {"groups": groups, "shared": shared, "modules": modules, "edges": edges}


def service_panels(plan: DecompositionPlan, context: ReportContext) -> dict[str, Any]:
    """What the page shows when a service is clicked: everything about it, keyed by name."""
    explained = {e.service: e for e in context.service_explanations}
    outgoing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    incoming: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in context.dependency_explanations:
        record = {
            "source": d.source_service,
            "target": d.target_service,
            "weight": d.weight,
            "kinds": dict(d.kinds),
            "pairs": d.module_pairs,
            "examples": list(d.examples[:5]),
        }
        outgoing[d.source_service].append(record)
        incoming[d.target_service].append(record)
    owned: dict[str, list[str]] = defaultdict(list)
    for m in context.models:
        if m.owner:
            owned[m.owner].append(m.model)
    panels: dict[str, Any] = {}
    for s in plan.services:
        e = explained.get(s.name)
        panels[s.name] = {
            "lines": s.lines,
            "port": s.port,
            "modules": [[m, list(s.reasons.get(m, ()))] for m in sorted(s.modules)],
            "api": list(s.api),
            "entry_points": list(s.entry_points),
            "depends_on": list(s.depends_on),
            "metrics": dict(sorted(s.metrics.items())),
            "outgoing": outgoing.get(s.name, []),
            "incoming": incoming.get(s.name, []),
            "signals": [[name, share] for name, share in (e.signals if e else ())],
            "terms": list(e.terms) if e else [],
            "models": sorted(owned.get(s.name, [])),
        }
    return panels


def html_page_data(plan: DecompositionPlan, context: ReportContext) -> dict[str, Any]:
    """The data the page's script reads (embedded as JSON): panels and the matrix."""
    return {"services": service_panels(plan, context), "matrix": matrix_data(plan, context)}


def embedded_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: every `<` is written `\\u003c`, so
    no `</script>` or `<!--` in a module name or reason can end or confuse the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def report_html(
    plan: DecompositionPlan,
    context: ReportContext,
    templates_dir: Path | None = None,
    trend: Sequence[TrendPoint] = (),
) -> str:
    """The whole page as one string (templates report.html.j2, report.css, report.js)."""
    environment = template_environment(templates_dir)
    environment.autoescape = True
    environment.globals["percent"] = percent
    weights = {
        (d.source_service, d.target_service): d.weight for d in context.dependency_explanations
    }
    modules_total = len(plan.modules)

    def verbatim(name: str) -> Markup:
        """A template file's text as it is (CSS and script are not jinja templates)."""
        loader = cast(jinja2.BaseLoader, environment.loader)
        return Markup(loader.get_source(environment, name)[0])

    page = environment.get_template("report.html.j2").render(
        plan=plan,
        context=context,
        layout=service_graph_layout(plan, weights),
        page_data=embedded_json(html_page_data(plan, context)),
        collapsed=modules_total > COLLAPSE_ABOVE,
        modules_total=modules_total,
        shared_group=SHARED_GROUP,
        trend_chart=trend_svg(trend) if trend else "",
        trend=list(trend),
        stylesheet=verbatim("report.css"),
        script=verbatim("report.js"),
    )
    return page.rstrip("\n") + "\n"
