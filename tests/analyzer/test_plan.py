"""DecompositionPlan: round trip through YAML and JSON, and validation of hand-edited plans."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analyzer.plan import (
    DecompositionPlan,
    PlanError,
    Service,
    SharedLibrary,
    SourceInfo,
    UnparseableFile,
    dns_label,
    is_dns_label,
    plan_problems,
    read_plan,
    write_plan,
)


def sample_plan() -> DecompositionPlan:
    return DecompositionPlan(
        source=SourceInfo(root="../app", package_roots=("src",), git_commit="a" * 40),
        services=(
            Service(
                name="orders",
                modules=("shop.orders.models", "shop.orders.service"),
                port=8001,
                api=("shop.orders.service.place_order",),
                depends_on=("payments",),
                requirements=("requests==2.32.3",),
                lines=120,
                reasons={"shop.orders.service": ("shop.orders.models: import 1.00",)},
                metrics={"cohesion": 0.5, "coupling": 0.25},
            ),
            Service(name="payments", modules=("shop.payments.gateway",), port=8002, lines=40),
        ),
        shared=SharedLibrary(modules=("shop.core.db",), reasons={"shop.core.db": ("used by 2",)}),
        settings={"seed": 42, "use_layout": True},
        metrics={"modularity": 0.41, "icp": 0.12, "service_count": 2},
        unparseable=(UnparseableFile("legacy/old.py", "Python 2 syntax (print statement)"),),
    )


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip_gives_the_same_plan(tmp_path: Path, suffix: str) -> None:
    plan = sample_plan()
    path = tmp_path / f"plan{suffix}"
    write_plan(plan, path)
    assert read_plan(path) == plan


def test_written_yaml_is_stable_and_readable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    write_plan(sample_plan(), first)
    write_plan(sample_plan(), second)
    assert first.read_bytes() == second.read_bytes()
    data = yaml.safe_load(first.read_text())
    assert list(data)[:2] == ["schema_version", "source"]
    assert data["services"][0]["modules"] == ["shop.orders.models", "shop.orders.service"]


def edit(tmp_path: Path, change) -> Path:
    path = tmp_path / "plan.yaml"
    write_plan(sample_plan(), path)
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["services"][1]["modules"].append("shop.orders.models"),
            "module 'shop.orders.models' is placed more than once (orders, payments)",
        ),
        (
            lambda d: d["shared"]["modules"].append("shop.orders.service"),
            "module 'shop.orders.service' is placed more than once (orders, shared)",
        ),
        (
            lambda d: d["services"][0].update(name="Order_Service"),
            "service name 'Order_Service' is not a valid DNS-1123 label",
        ),
        (
            lambda d: d["services"][1].update(name="orders"),
            "service name 'orders' is used more than once",
        ),
        (
            lambda d: d["services"][1].update(port=8001),
            "port 8001 is used by more than one service",
        ),
        (
            lambda d: d["services"][0].update(depends_on=["billing"]),
            "service 'orders' depends on unknown service 'billing'",
        ),
        (lambda d: d["services"][1].update(modules=[]), "service 'payments' has no modules"),
        (lambda d: d["services"][0].update(modules="shop.orders"), "must be a list of strings"),
        (lambda d: d["services"][0].update(port="http"), "'port' must be an integer"),
        (lambda d: d.update(schema_version=99), "schema_version 99 is not supported"),
        (lambda d: d.pop("source"), "'source' is missing"),
        (lambda d: d.update(unparseable=5), "'unparseable' must be a list"),
        (lambda d: d.update(unparseable=["abc"]), "entries must have a 'path' and a 'reason'"),
        (lambda d: d["settings"].update(excludes=5), "'settings.excludes' must be a list"),
        (lambda d: d["settings"].update(excludes="a/*"), "'settings.excludes' must be a list"),
        (lambda d: d.update(metrics=[1]), "'metrics' must be a mapping of numbers"),
        (lambda d: d.update(schema_version="1"), "'schema_version' must be the integer 1"),
        (
            lambda d: d["source"].update(python_version="3.11; rm -rf /"),
            "source.python_version '3.11; rm -rf /' must look like '3.11'",
        ),
    ],
)
def test_hand_edited_mistakes_are_named(tmp_path: Path, change, message: str) -> None:
    path = edit(tmp_path, change)
    with pytest.raises(PlanError) as raised:
        read_plan(path)
    assert any(message in problem for problem in raised.value.problems), raised.value.problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def many(data: dict) -> None:
        data["services"][0]["name"] = "Bad Name"
        data["services"][1]["port"] = "x"
        data["services"][1]["depends_on"] = "orders"

    with pytest.raises(PlanError) as raised:
        read_plan(edit(tmp_path, many))
    assert len(raised.value.problems) >= 2


def test_stale_dependencies_can_be_ignored_when_scoring(tmp_path: Path) -> None:
    path = edit(tmp_path, lambda d: d["services"][1].update(name="billing"))
    with pytest.raises(PlanError, match="depends on unknown service 'payments'"):
        read_plan(path)
    assert read_plan(path, check_dependencies=False).services[1].name == "billing"


def test_unknown_modules_are_rejected_against_the_code() -> None:
    problems = plan_problems(sample_plan(), known_modules={"shop.orders.models", "shop.core.db"})
    assert "module 'shop.orders.service' is not in the analyzed code" in problems
    assert "module 'shop.payments.gateway' is not in the analyzed code" in problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [("not yaml: [", "not valid YAML/JSON"), ("- a list", "must be a mapping at the top level")],
)
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(PlanError, match=expected):
        read_plan(path)


def test_missing_file_is_a_plan_error(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read the plan"):
        read_plan(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("orders", True),
        ("order-service-2", True),
        ("Orders", False),
        ("-x", False),
        ("a" * 64, False),
        ("a_b", False),
        ("", False),
    ],
)
def test_dns_labels(name: str, valid: bool) -> None:
    assert is_dns_label(name) is valid
    assert is_dns_label(dns_label(name or "x"))
