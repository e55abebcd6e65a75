"""Name-based call resolution across modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.trees import analyze_tree

TREE = {
    "app/__init__.py": "",
    "app/base.py": """
        class Repository:
            def save(self, item):
                return self.validate(item)

            def validate(self, item):
                return item

        def helper():
            return 1
    """,
    "app/orders/__init__.py": "from .service import place_order\n",
    "app/orders/service.py": """
        from app.base import Repository, helper
        from app import base

        class OrderRepository(Repository):
            def add(self, order):
                self.save(order)
                return super().validate(order)

        def place_order():
            repo = OrderRepository()
            helper()
            base.helper()
            len([1])
            unknown_function()
            return repo

        def lazy():
            from app.billing import charge
            charge()
    """,
    "app/billing.py": """
        import json
        from app.orders import place_order

        def charge():
            place_order()
            json.dumps({})

        def outer():
            def inner():
                return 1
            return inner()
    """,
}


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    analysis = analyze_tree(tmp_path_factory.mktemp("calls"), TREE)
    return {(c.caller, c.callee) for c in analysis.calls.calls}


@pytest.mark.parametrize(
    ("caller", "callee"),
    [
        ("app.orders.service.place_order", "app.orders.service.OrderRepository"),
        ("app.orders.service.place_order", "app.base.helper"),
        ("app.orders.service.OrderRepository.add", "app.base.Repository.save"),
        ("app.orders.service.OrderRepository.add", "app.base.Repository.validate"),
        ("app.base.Repository.save", "app.base.Repository.validate"),
        ("app.orders.service.lazy", "app.billing.charge"),
        # The re-export through app/orders/__init__.py is followed to the defining module.
        ("app.billing.charge", "app.orders.service.place_order"),
        ("app.billing.outer", "app.billing.outer.inner"),
    ],
)
def test_resolved_calls(calls: set[tuple[str, str]], caller: str, callee: str) -> None:
    assert (caller, callee) in calls


def test_counts_of_external_and_unknown_calls(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    assert analysis.calls.external >= 2  # len(), json.dumps()
    assert analysis.calls.unresolved >= 1  # unknown_function()
    assert not any(c.callee.endswith("unknown_function") for c in analysis.calls.calls)


def test_module_call_counts_cross_modules_only(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    counts = analysis.calls.module_call_counts()
    assert counts[("app.orders.service", "app.base")] >= 3
    assert all(caller != callee for caller, callee in counts)


def test_inheritance_across_modules(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    assert analysis.inheritance == {("app.orders.service", "app.base"): 1}
