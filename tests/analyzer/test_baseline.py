"""Baselines of cross-service dependencies: keyed by module pair and kind, judged by compare."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from analyzer.baseline import (
    Baseline,
    BaselineError,
    CrossingKey,
    GateSettings,
    compare,
    crossing_sites,
    current_state,
    dump_baseline,
    load_baseline,
)
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan, Service, SharedLibrary, SourceInfo
from tests.trees import analyze_tree

TREE = {
    "shop/__init__.py": "",
    "shop/util.py": "def slug(text):\n    return text.lower()\n",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": """
        class Order:
            def __init__(self, total):
                self.total = total
    """,
    "shop/orders/service.py": """
        from shop.orders.models import Order
        from shop.util import slug


        def place(total):
            slug("x")
            return Order(total)
    """,
    "shop/billing/__init__.py": "",
    "shop/billing/invoice.py": """
        from shop.orders.models import Order


        def bill(order: Order):
            return Order(order.total)
    """,
}

PLAN = DecompositionPlan(
    source=SourceInfo(root="."),
    services=(
        Service(name="billing", modules=("shop.billing", "shop.billing.invoice"), port=8001),
        Service(
            name="orders",
            modules=("shop.orders", "shop.orders.models", "shop.orders.service"),
            port=8002,
        ),
    ),
    shared=SharedLibrary(modules=("shop", "shop.util")),
)


def analysis_of(tmp_path: Path, changes: dict[str, str] | None = None) -> Analysis:
    return analyze_tree(tmp_path, {**TREE, **(changes or {})}, cochange=False)


def test_current_state_records_only_cross_service_dependencies(tmp_path: Path) -> None:
    state = current_state(analysis_of(tmp_path), PLAN)
    pairs = {(k.from_module, k.to_module) for k in state.dependencies}
    assert pairs == {("shop.billing.invoice", "shop.orders.models")}
    kinds = {k.kind for k in state.dependencies}
    assert "import" in kinds and kinds <= {"import", "call", "inheritance", "wiring"}
    # the shared library (shop.util) and intra-service imports cross nothing
    assert state.cycles == ()
    assert 0 < state.icp < 1
    assert state.services == ("billing", "orders")


def test_new_cross_service_import_is_detected(tmp_path: Path) -> None:
    before = current_state(analysis_of(tmp_path / "a"), PLAN)
    changed = analysis_of(
        tmp_path / "b",
        {
            "shop/orders/service.py": textwrap.dedent(TREE["shop/orders/service.py"])
            + "\nimport shop.billing.invoice\n"
        },
    )
    result = compare(before, current_state(changed, PLAN), GateSettings(icp_threshold=1.0))
    assert CrossingKey("shop.orders.service", "shop.billing.invoice", "import") in (
        result.new_dependencies
    )
    assert result.failed
    assert any(
        "shop.orders.service -> shop.billing.invoice (import)" in v for v in result.violations
    )
    sites = crossing_sites(changed, result.new_dependencies)
    assert sites[CrossingKey("shop.orders.service", "shop.billing.invoice", "import")] == (
        "shop/orders/service.py:9"
    )


def test_moving_lines_does_not_change_the_baseline(tmp_path: Path) -> None:
    before = current_state(analysis_of(tmp_path / "a"), PLAN)
    moved = """


        # a comment that moves every line down


        from shop.orders.models import Order


        def helper():
            return 1


        def bill(order: Order):
            return Order(order.total)
    """
    after = current_state(analysis_of(tmp_path / "b", {"shop/billing/invoice.py": moved}), PLAN)
    assert after.dependencies == before.dependencies
    assert dump_baseline(after).count("line") == 0
    result = compare(before, after)
    assert not result.failed and not result.stale and result.violations == ()


def test_removed_dependency_is_reported_stale(tmp_path: Path) -> None:
    before = current_state(analysis_of(tmp_path / "a"), PLAN)
    gone = analysis_of(
        tmp_path / "b", {"shop/billing/invoice.py": "def bill(order):\n    return 1\n"}
    )
    result = compare(before, current_state(gone, PLAN))
    assert result.stale_dependencies == before.dependencies
    assert result.new_dependencies == ()
    assert result.stale and not result.failed


def test_new_service_cycle_fails(tmp_path: Path) -> None:
    before = current_state(analysis_of(tmp_path / "a"), PLAN)
    cyclic = analysis_of(
        tmp_path / "b",
        {
            "shop/orders/models.py": textwrap.dedent(TREE["shop/orders/models.py"])
            + "\nfrom shop.billing import invoice\n"
        },
    )
    after = current_state(cyclic, PLAN)
    assert after.cycles == (("billing", "orders"),)
    result = compare(before, after, GateSettings(icp_threshold=1.0))
    assert result.new_cycles == (("billing", "orders"),)
    assert any(
        v.startswith("new service cycle: billing -> orders -> billing") for v in result.violations
    )
    assert result.failed


def state(icp: float, dependencies: tuple[CrossingKey, ...] = ()) -> Baseline:
    return Baseline("f", ("a", "b"), dependencies, (), {"icp": icp})


def test_icp_threshold() -> None:
    assert not compare(state(0.10), state(0.12), GateSettings(icp_threshold=0.02)).failed
    rose = compare(state(0.10), state(0.1201), GateSettings(icp_threshold=0.02))
    assert rose.icp_exceeded and rose.failed
    assert rose.violations == ("ICP rose 0.1000 -> 0.1201 (+0.0201, threshold 0.02)",)
    assert not compare(state(0.30), state(0.10)).failed


def test_warn_mode_never_fails() -> None:
    new = (CrossingKey("a.x", "b.y", "call"),)
    result = compare(state(0.1), state(0.9, new), GateSettings(mode="warn"))
    assert not result.failed
    assert len(result.violations) == 2
    assert compare(state(0.1), state(0.9, new), GateSettings()).failed


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="mode"):
        GateSettings(mode="loud")
    with pytest.raises(ValueError, match="threshold"):
        GateSettings(icp_threshold=-1)


def test_json_round_trip_is_deterministic_and_one_entry_per_line(tmp_path: Path) -> None:
    original = current_state(analysis_of(tmp_path), PLAN)
    text = dump_baseline(original)
    assert load_baseline(text) == original
    assert dump_baseline(load_baseline(text)) == text
    data = json.loads(text)
    assert list(data) == sorted(data)
    for key in original.dependencies:
        line = json.dumps({"from": key.from_module, "kind": key.kind, "to": key.to_module})
        assert f"    {line}" in text.splitlines() or f"    {line}," in text.splitlines()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"schema_version": 99}', "schema_version 99 is not supported"),
        (
            '{"schema_version": 1, "plan": {"fingerprint": "x", "services": []}, "metrics": {},'
            ' "dependencies": [{"from": "a", "to": "b", "kind": "telepathy"}], "cycles": []}',
            "unknown kind 'telepathy'",
        ),
        (
            '{"schema_version": 1, "plan": {"fingerprint": "x", "services": []}, "metrics": {},'
            ' "dependencies": [["a", "b"]], "cycles": []}',
            "dependency 1 must be an object",
        ),
        ('{"schema_version": 1, "extra": 1}', "unknown keys extra"),
    ],
)
def test_corrupt_baselines_raise_one_line(text: str, message: str) -> None:
    with pytest.raises(BaselineError) as raised:
        load_baseline(text, "base.json")
    assert message in str(raised.value)
    assert str(raised.value).startswith("base.json: ")
    assert "\n" not in str(raised.value)
