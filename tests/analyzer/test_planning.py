"""Building a plan from the analysis: each service's API and IFN from the call graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan
from analyzer.planning import build_plan, cross_calls, rescore_plan
from tests.trees import analyze_tree

TREE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": """
        class Base:
            def __init__(self, ident):
                self.ident = ident


        class Order(Base):
            def __init__(self, ident, total):
                super().__init__(ident)
                self.total = total

            def describe(self):
                return f"{self.ident}: {self.total}"


        class Refund(Base):
            pass


        class Plain:
            pass


        def lookup(ident):
            return Order(ident, 0)
    """,
    "shop/billing/__init__.py": "",
    "shop/billing/service.py": """
        from shop.orders.models import Order, Plain, Refund, lookup


        def charge(ident):
            order = Order(ident, 10)
            refund = Refund(ident)
            marker = Plain()
            found = lookup(ident)
            found = lookup(ident)
            return order.describe(), refund, marker, found, len(str(ident))
    """,
}

SERVICES = {
    "billing": ("shop.billing", "shop.billing.service"),
    "orders": ("shop.orders", "shop.orders.models"),
}


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("planning"), TREE)


@pytest.fixture(scope="module")
def plan(analysis: Analysis, tmp_path_factory: pytest.TempPathFactory) -> DecompositionPlan:
    return build_plan(analysis, SERVICES, ("shop",), plan_dir=tmp_path_factory.mktemp("plan"))


def service(plan: DecompositionPlan, name: str):
    return next(s for s in plan.services if s.name == name)


def test_api_lists_instantiated_classes_not_their_constructors(plan: DecompositionPlan) -> None:
    # Order(...) runs Order.__init__, Refund(...) the inherited Base.__init__: both are the
    # class's own instantiation, listed once as the class; Plain has no __init__ at all.
    assert service(plan, "orders").api == (
        "shop.orders.models.Order",
        "shop.orders.models.Order.describe",
        "shop.orders.models.Plain",
        "shop.orders.models.Refund",
        "shop.orders.models.lookup",
    )
    assert service(plan, "billing").api == ()


def test_ifn_counts_the_same_interfaces(plan: DecompositionPlan) -> None:
    assert service(plan, "orders").metrics["interface_functions"] == 5
    assert service(plan, "billing").metrics["interface_functions"] == 0
    assert plan.metrics["ifn"] == 2.5


def test_cross_calls_keep_the_place_and_the_instantiations(analysis: Analysis) -> None:
    calls = {(c.caller, c.callee, c.line, c.instantiates) for c in cross_calls(analysis)}
    assert ("shop.billing.service.charge", "shop.orders.models.Order", 5, True) in calls
    assert ("shop.billing.service.charge", "shop.orders.models.Order.__init__", 5, False) in calls


def test_calls_still_weigh_in_module_coupling(analysis: Analysis) -> None:
    edge = analysis.dependencies.edges["shop.billing.service", "shop.orders.models"]
    assert edge["signals"]["call"] > 0
    assert analysis.calls.module_call_counts()[("shop.billing.service", "shop.orders.models")] >= 6


def test_rescoring_gives_the_same_api(
    plan: DecompositionPlan, analysis: Analysis, tmp_path: Path
) -> None:
    rescored = rescore_plan(analysis, plan, plan_dir=tmp_path)
    assert [s.api for s in rescored.services] == [s.api for s in plan.services]
