"""report.md and report.json from a plan and a ReportContext."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.plan import (
    DecompositionPlan,
    Service,
    SharedLibrary,
    SourceInfo,
    UnparseableFile,
)
from generators.report import CrossingDependency, ReportContext, report_json, report_markdown


def plan() -> DecompositionPlan:
    return DecompositionPlan(
        source=SourceInfo(root="."),
        services=(
            Service(
                "orders",
                ("shop.orders.a", "shop.orders.b"),
                8001,
                api=("shop.orders.a.f",),
                depends_on=("pay|ments",),
                lines=10,
                reasons={"shop.orders.b": ("shop.orders.a: import 1.00",)},
                metrics={"cohesion": 0.5, "coupling": 0.1},
            ),
            Service("pay|ments", ("shop.pay.x",), 8002, lines=5),
        ),
        shared=SharedLibrary(("shop.core.db",), reasons={"shop.core.db": ("used by 2 services",)}),
        metrics={"modularity": 0.4, "service_cycles": 1},
        unparseable=(UnparseableFile("old.py", "Python 2 syntax (print statement)"),),
    )


def context() -> ReportContext:
    return ReportContext(
        modules=4,
        code_lines=15,
        import_edges=3,
        import_cycles=(("a", "b"),),
        calls_resolved=7,
        calls_external=2,
        calls_unresolved=1,
        undeclared_imports=("numpy",),
        crossings=(CrossingDependency("orders", "pay|ments", "shop.orders.a", "shop.pay.x", 1.0),),
        metric_definitions={"modularity": "Newman's Q. Higher is better."},
    )


def test_markdown_report_shows_services_metrics_and_problems() -> None:
    text = report_markdown(plan(), context())
    assert "| orders | 2 | 10 | 0.5 | 0.1 | pay\\|ments | 1 | 8001 |" in text
    assert "| modularity | 0.4 | Newman's Q. Higher is better. |" in text
    assert "services depend on each other in cycles" in text
    assert "`old.py` | Python 2 syntax (print statement)" in text
    assert "shop.orders.a: import 1.00" in text
    assert "- `shop.core.db`: used by 2 services" in text
    assert "numpy" in text and "a -> b" in text


def test_markdown_template_can_be_overridden(tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("custom {{ plan.services | length }}\n")
    assert report_markdown(plan(), context(), tmp_path) == "custom 2\n"


def test_json_report_is_complete_and_stable() -> None:
    text = report_json(plan(), context())
    assert text == report_json(plan(), context())
    data = json.loads(text)
    assert data["summary"]["calls"] == {"resolved": 7, "external": 2, "unresolved": 1}
    assert data["plan"]["services"][0]["name"] == "orders"
    assert data["crossings"][0]["target_service"] == "pay|ments"
