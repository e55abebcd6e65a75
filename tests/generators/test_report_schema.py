"""docs/report.schema.json, the published JSON Schema of report.json, against real reports."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from analyzer.plan import DecompositionPlan, Service, SharedLibrary, SourceInfo, UnparseableFile
from analyzer.signals.data import ModelOwnership
from generators.report import (
    REPORT_SCHEMA_VERSION,
    BoundaryCall,
    CallSites,
    CrossingDependency,
    DependencyExplanation,
    MoveCandidate,
    ReportContext,
    ServiceCalls,
    ServiceExplanation,
    SplitPackage,
    report_json,
)
from monocut.cli import main

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "docs" / "report.schema.json"
SAMPLE = REPO / "sample_monolith"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """report.json of a real `monocut decompose sample_monolith` run."""
    out = tmp_path_factory.mktemp("decompose")
    assert main(["decompose", str(SAMPLE), "-o", str(out), "--no-cache", "-q"]) == 0
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def errors(validator: Draft202012Validator, report: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(report)
    ]


def rich_report() -> dict[str, Any]:
    """A report with every optional part filled in and every nullable field null."""
    plan = DecompositionPlan(
        source=SourceInfo(root="."),
        services=(
            Service(
                "orders",
                ("shop.orders.a", "shop.orders.b"),
                8001,
                api=("shop.orders.a.f",),
                depends_on=("payments",),
                lines=10,
                reasons={"shop.orders.b": ("shop.orders.a: import 1.00",)},
                metrics={"cohesion": 0.5, "coupling": 0.1},
                entry_points=("asgi shop.orders.app:app",),
                requirements=("attrs",),
            ),
            Service("payments", ("shop.pay.x",), 8002, lines=5),
        ),
        shared=SharedLibrary(("shop.core.db",), reasons={"shop.core.db": ("used by 2",)}),
        settings={"seed": 42, "weights": {"imports": 1.0}, "since": None},
        metrics={"modularity": 0.4, "service_cycles": 1},
        unparseable=(UnparseableFile("old.py", "Python 2 syntax (print statement)"),),
    )
    context = ReportContext(
        modules=4,
        code_lines=15,
        import_edges=3,
        import_cycles=(("shop.orders.a", "shop.pay.x"),),
        call_sites=CallSites(internal=7, external=2, unresolved=1),
        undeclared_imports=("numpy",),
        crossings=(CrossingDependency("orders", "payments", "shop.orders.a", "shop.pay.x", 1.0),),
        service_calls=(
            ServiceCalls(
                "orders",
                "payments",
                2,
                (BoundaryCall("shop.orders.a.f", "shop.pay.x.g", "shop/orders/a.py", (3, 9)),),
            ),
        ),
        metric_definitions={"modularity": "Newman's Q. Higher is better."},
        stability=None,
        signal_summary={
            "models": 1,
            "modules_touching_models": 2,
            "wiring": {"settings": 3},
            "cochange_commits": 0,
            "cochange_commits_skipped": 0,
            "cochange_warning": "not a git repository",
            "pairs": {"import": 3, "call": 1},
        },
        service_explanations=(
            ServiceExplanation("orders", (("import", 0.75), ("call", 0.25)), ("Order",), ("cart",)),
        ),
        dependency_explanations=(
            DependencyExplanation(
                "orders", "payments", 1.5, (("import", 1.0), ("call", 0.5)), 1, ("a -> x",)
            ),
        ),
        models=(
            ModelOwnership(
                model="shop.orders.models.Order",
                table="orders",
                defined_in="orders",
                owner="orders",
                writers=("billing",),
                readers=("payments",),
            ),
            ModelOwnership("Ghost", "ghost", defined_in=None, owner=None, writers=(), readers=()),
        ),
        move_candidates=(
            MoveCandidate("shop.orders.b", "payments", "shop.orders", "orders", "calls x"),
        ),
        split_packages=(SplitPackage("shop.orders", (("orders", 1), ("payments", 1))),),
    )
    return json.loads(report_json(plan, context))


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_is_versioned_with_the_report(schema: dict[str, Any]) -> None:
    assert schema["properties"]["report_schema_version"] == {
        "const": REPORT_SCHEMA_VERSION,
        "description": "Version of this report format.",
    }
    assert schema["$id"].endswith(f":{REPORT_SCHEMA_VERSION}")
    assert f"report_schema_version {REPORT_SCHEMA_VERSION}" in schema["title"]
    assert "additionalProperties policy" in schema["description"]


def test_schema_names_every_top_level_key_of_the_report(
    schema: dict[str, Any], sample_report: dict[str, Any]
) -> None:
    assert set(schema["properties"]) == set(sample_report)
    assert set(schema["required"]) == set(sample_report)


def test_sample_monolith_report_validates(
    validator: Draft202012Validator, sample_report: dict[str, Any]
) -> None:
    assert sample_report["report_schema_version"] == REPORT_SCHEMA_VERSION
    assert sample_report["crossings"] and sample_report["crossing_calls"]
    assert errors(validator, sample_report) == []


def test_report_with_every_part_filled_validates(validator: Draft202012Validator) -> None:
    report = rich_report()
    assert report["data_models"][1]["owner"] is None
    assert report["stability"] is None
    assert errors(validator, report) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r["summary"].__setitem__("modules", "75"), "summary/modules"),
        (lambda r: r.__setitem__("report_schema_version", 4), "report_schema_version"),
        (lambda r: r.__setitem__("stability", "high"), "stability"),
        (lambda r: r["crossings"][0].__setitem__("weight", None), "crossings/0/weight"),
        (lambda r: r["crossing_calls"][0]["calls"][0].__setitem__("lines", []), "lines"),
        (lambda r: r["plan"]["services"][0].__setitem__("port", 70000), "port"),
        (lambda r: r["plan"]["services"][0].__setitem__("colour", "red"), "services/0"),
        (lambda r: r["summary"]["call_sites"].pop("total"), "call_sites"),
        (lambda r: r.pop("plan"), ""),
    ],
)
def test_a_wrong_report_fails(
    validator: Draft202012Validator, sample_report: dict[str, Any], change: Any, where: str
) -> None:
    report = copy.deepcopy(sample_report)
    change(report)
    found = errors(validator, report)
    assert found, "the changed report should not validate"
    assert any(where in e for e in found), found


def test_an_unknown_top_level_key_fails(
    validator: Draft202012Validator, sample_report: dict[str, Any]
) -> None:
    report = {**sample_report, "extra": True}
    found = errors(validator, report)
    assert len(found) == 1 and "'extra' was unexpected" in found[0]


def test_data_keyed_maps_stay_open(
    validator: Draft202012Validator, sample_report: dict[str, Any]
) -> None:
    """New metrics, signals and plan settings are data, not a change of the format."""
    report = copy.deepcopy(sample_report)
    report["metric_definitions"]["new_metric"] = "Defined somewhere."
    report["signals"]["pairs"]["new_signal"] = 4
    report["plan"]["metrics"]["new_metric"] = 0.5
    report["plan"]["settings"]["new_setting"] = {"anything": [1, "two"]}
    assert errors(validator, report) == []
