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
from generators.report import (
    MAX_CALLS_SHOWN,
    BoundaryCall,
    CallSites,
    CrossingDependency,
    ReportContext,
    ServiceCalls,
    report_json,
    report_markdown,
)


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
        call_sites=CallSites(internal=7, external=2, unresolved=1),
        undeclared_imports=("numpy",),
        crossings=(CrossingDependency("orders", "pay|ments", "shop.orders.a", "shop.pay.x", 1.0),),
        service_calls=(
            ServiceCalls(
                "orders",
                "pay|ments",
                26,
                tuple(
                    BoundaryCall(
                        "shop.orders.a.f", f"shop.pay.x.g{n:02}", "shop/orders/a.py", (n + 1,)
                    )
                    for n in range(24)
                )
                + (BoundaryCall("shop.orders.b.h", "shop.pay.x.k", "shop/orders/b.py", (3, 9)),),
            ),
            ServiceCalls(
                "pay|ments",
                "orders",
                1,
                (BoundaryCall("shop.pay.x.<lambda1>", "shop.orders.a.f", "shop/pay/x.py", (7,)),),
            ),
        ),
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
    assert data["summary"]["call_sites"] == {
        "internal": 7,
        "external": 2,
        "unresolved": 1,
        "total": 10,
    }
    assert data["plan"]["services"][0]["name"] == "orders"
    assert data["crossings"][0]["target_service"] == "pay|ments"


def test_markdown_report_shows_call_sites_in_the_summary() -> None:
    text = report_markdown(plan(), context())
    summary = text.split("## Services")[0]
    assert "10 call sites: 7 (70.0%) resolved to project code" in summary
    assert "2 (20.0%) only to builtins" in summary and "1 (10.0%) unknown" in summary


def test_markdown_lists_the_calls_across_each_pair_capped() -> None:
    text = report_markdown(plan(), context())
    section = text.split("## Calls that cross services")[1].split("\n## ")[0]
    assert "### orders -> pay|ments: 26 calls" in section
    assert "### pay|ments -> orders: 1 call\n" in section
    assert section.index("### orders -> pay|ments") < section.index("### pay|ments -> orders")
    assert "- `shop.orders.a.f` -> `shop.pay.x.g00` at `shop/orders/a.py:1`" in section
    assert f"shop.pay.x.g{MAX_CALLS_SHOWN - 1:02}`" in section
    assert f"shop.pay.x.g{MAX_CALLS_SHOWN:02}`" not in section
    assert "- and 5 more (report.json lists them all)" in section
    assert "- `shop.pay.x.<lambda1>` -> `shop.orders.a.f` at `shop/pay/x.py:7`" in section


def test_json_report_lists_every_crossing_call() -> None:
    data = json.loads(report_json(plan(), context()))
    first, second = data["crossing_calls"]
    assert (first["source_service"], first["target_service"], first["count"]) == (
        "orders",
        "pay|ments",
        26,
    )
    assert len(first["calls"]) == 25
    assert first["calls"][-1] == {
        "caller": "shop.orders.b.h",
        "callee": "shop.pay.x.k",
        "file": "shop/orders/b.py",
        "lines": [3, 9],
    }
    assert second["count"] == 1


def test_markdown_without_crossing_calls() -> None:
    quiet = ReportContext(modules=1, code_lines=1, import_edges=0)
    text = report_markdown(plan(), quiet)
    assert "No call crosses a service boundary.\n\n## Files that could not be analyzed" in text
    assert "0 call sites: 0 (0.0%) resolved" in text
