"""report.html without a browser: self-contained, deterministic, escaped, laid out sanely."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analyzer.plan import DecompositionPlan, Service, SourceInfo
from generators.html_report import (
    SHARED_GROUP,
    circle_order,
    embedded_json,
    matrix_data,
    report_html,
    service_graph_layout,
)
from generators.report import ReportContext
from tests.generators.html_plans import large_plan, trend_points


class PageParser(HTMLParser):
    """Collects what a self-contained page must not have, and the embedded data."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.service_nodes: list[str] = []
        self._in_data = False
        self.data_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "action", "data"):
            value = found.get(name) or ""
            if value.startswith(("http:", "https:", "//", "ftp:")):
                self.external.append(f"{tag} {name}={value}")
        if tag == "link" and found.get("rel") == "stylesheet":
            self.external.append("link rel=stylesheet")
        if tag == "script":
            self.scripts.append(found)
            self._in_data = found.get("id") == "monocut-data"
        if tag == "g" and "service-node" in (found.get("class") or "").split():
            self.service_nodes.append(found.get("data-service") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_text += data


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    return parser


def test_page_is_self_contained_and_holds_every_service() -> None:
    plan, context = large_plan(services=5, per_service=10)
    page = report_html(plan, context)
    parsed = parse(page)
    assert parsed.external == []
    assert all("src" not in script for script in parsed.scripts)  # every script is inline
    assert set(parsed.service_nodes) == {s.name for s in plan.services}
    data = json.loads(parsed.data_text)
    assert set(data["services"]) == {s.name for s in plan.services}
    assert len(data["matrix"]["modules"]) == len(plan.modules)
    assert "syntax error at line 3" in page  # files not analyzed are listed
    assert "domain00_invoice" in page  # shared data models are listed
    assert "Inter-partition call percentage." in page  # metrics carry their definitions


def test_same_plan_gives_byte_identical_pages() -> None:
    first = report_html(*large_plan(services=6, per_service=12))
    second = report_html(*large_plan(services=6, per_service=12))
    assert first == second


@pytest.mark.parametrize(
    "hostile",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        '"quoted" & <b>bold</b>',
        "ünïcödé → ✓",
    ],
)
def test_text_from_the_code_cannot_break_out_of_the_page(hostile: str) -> None:
    plan = DecompositionPlan(
        source=SourceInfo(root=hostile),
        services=(
            Service("orders", ("shop.a", "shop.b"), 8001, reasons={"shop.b": (hostile,)}),
            Service("billing", ("shop.c",), 8002, api=(hostile,)),
        ),
    )
    context = ReportContext(modules=3, code_lines=3, import_edges=0)
    page = report_html(plan, context)
    parsed = parse(page)
    assert "<script>alert(1)</script>" not in page
    data = json.loads(parsed.data_text)
    assert data["services"]["orders"]["modules"][1] == ["shop.b", [hostile]]
    assert data["services"]["billing"]["api"] == [hostile]
    assert len(parsed.scripts) == 2  # the data and the page script, nothing injected


def test_embedded_json_round_trips_and_never_closes_a_script() -> None:
    value = {"a": "</script>", "b": ["<!--", "</SCRIPT >"], "c": 1.5}
    text = embedded_json(value)
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == value


def test_circle_order_places_coupled_services_side_by_side() -> None:
    weights = {("a", "c"): 5.0, ("c", "e"): 4.0, ("b", "d"): 3.0, ("e", "b"): 0.5}
    order = circle_order(["a", "b", "c", "d", "e"], weights)
    assert order == circle_order(["e", "d", "c", "b", "a"], weights)  # input order is irrelevant
    position = {s: i for i, s in enumerate(order)}

    def neighbours(a: str, b: str) -> bool:  # adjacent on the circle (the ends meet)
        return (position[a] - position[b]) % len(order) in (1, len(order) - 1)

    assert neighbours("a", "c") and neighbours("c", "e") and neighbours("b", "d")


def test_layout_sizes_services_by_lines_and_keeps_them_apart() -> None:
    plan, context = large_plan(services=12, per_service=8)
    weights = {
        (d.source_service, d.target_service): d.weight for d in context.dependency_explanations
    }
    layout = service_graph_layout(plan, weights)
    assert {n.service for n in layout.nodes} == {s.name for s in plan.services}
    by_lines = sorted(layout.nodes, key=lambda n: n.lines)
    assert [n.radius for n in by_lines] == sorted(n.radius for n in by_lines)
    for i, a in enumerate(layout.nodes):
        assert a.radius < a.x < layout.width - a.radius
        for b in layout.nodes[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) > a.radius + b.radius
    assert {(e.source, e.target) for e in layout.edges} == set(weights)
    heaviest = max(layout.edges, key=lambda e: e.weight)
    assert heaviest.width == max(e.width for e in layout.edges)


def test_matrix_orders_modules_by_service_with_the_shared_library_last() -> None:
    plan, context = large_plan(services=3, per_service=4)
    matrix = matrix_data(plan, context)
    assert matrix["groups"] == [*(s.name for s in plan.services), SHARED_GROUP]
    assert matrix["shared"] == 3
    groups = [m[1] for m in matrix["modules"]]
    assert groups == sorted(groups)
    index = {m[0]: i for i, m in enumerate(matrix["modules"])}
    expected = {
        (index[u], index[v]) for u, v, _ in context.module_dependencies if u in index and v in index
    }
    assert {(e[0], e[1]) for e in matrix["edges"]} == expected


def test_trend_chart_is_embedded_when_given() -> None:
    plan, context = large_plan(services=3, per_service=4)
    assert 'id="trend"' not in report_html(plan, context)
    page = report_html(plan, context, trend=trend_points(5))
    assert 'id="trend"' in page and 'class="icp"' in page and "5 commits" in page


def test_a_user_template_directory_overrides_the_stylesheet(tmp_path: Path) -> None:
    (tmp_path / "report.css").write_text("body { background: #123456; }\n")
    plan, context = large_plan(services=2, per_service=3)
    assert "#123456" in report_html(plan, context, templates_dir=tmp_path)
