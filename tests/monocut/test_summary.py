"""Summaries of an analysis: calls between modules, call sites, calls that cross services."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.pipeline import Analysis
from analyzer.planning import build_plan
from generators.report import BoundaryCall, CallSites, ServiceCalls
from monocut.summary import call_sites, module_calls, report_context, service_calls
from tests.trees import analyze_tree

TREE = {
    "shop/__init__.py": "",
    "shop/common.py": """
        def log(text):
            return text
    """,
    "shop/orders/__init__.py": "",
    "shop/orders/service.py": """
        from shop.common import log
        from shop.billing.api import Invoice, charge
        from shop.catalog.search import find


        def place(ident):
            log(ident)
            find(ident)
            invoice = Invoice(ident)
            charge(invoice)
            charge(invoice)
            return invoice


        def cancel(ident):
            return charge(ident)
    """,
    "shop/billing/__init__.py": "",
    "shop/billing/api.py": """
        from shop.orders import service


        class Invoice:
            def __init__(self, ident):
                self.ident = ident


        def charge(thing):
            return thing


        def refund(ident):
            return service.cancel(ident)
    """,
    "shop/catalog/__init__.py": "",
    "shop/catalog/search.py": """
        from shop.common import log


        def find(text):
            return log(str(text)), text.upper()
    """,
}

SERVICES = {
    "billing": ("shop.billing", "shop.billing.api"),
    "catalog": ("shop.catalog", "shop.catalog.search"),
    "orders": ("shop.orders", "shop.orders.service"),
}
SHARED = ("shop", "shop.common")


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("summary"), TREE)


@pytest.fixture(scope="module")
def plan(analysis: Analysis, tmp_path_factory: pytest.TempPathFactory):
    return build_plan(analysis, SERVICES, SHARED, plan_dir=tmp_path_factory.mktemp("plan"))


def test_module_calls_most_first_and_an_instantiation_once(analysis: Analysis) -> None:
    assert module_calls(analysis) == (
        # Invoice(...) (with its __init__), charge twice in place, once in cancel.
        ("shop.orders.service", "shop.billing.api", 4),
        ("shop.billing.api", "shop.orders.service", 1),
        ("shop.catalog.search", "shop.common", 1),
        ("shop.orders.service", "shop.catalog.search", 1),
        ("shop.orders.service", "shop.common", 1),
    )


def test_call_sites_are_the_analysis_counts(analysis: Analysis) -> None:
    sites = call_sites(analysis)
    assert sites == CallSites(
        analysis.calls.sites.internal, analysis.calls.external, analysis.calls.unresolved
    )
    assert sites.internal >= 8 and sites.external >= 1  # str()
    assert sites.total == analysis.calls.sites.total == sum(vars(sites).values())


def test_service_calls_per_pair_with_files_and_lines(analysis: Analysis, plan) -> None:
    orders = "shop/orders/service.py"
    assert service_calls(analysis, plan) == (
        ServiceCalls(
            "orders",
            "billing",
            4,
            (
                BoundaryCall(
                    "shop.orders.service.cancel", "shop.billing.api.charge", orders, (16,)
                ),
                BoundaryCall("shop.orders.service.place", "shop.billing.api.Invoice", orders, (9,)),
                BoundaryCall(
                    "shop.orders.service.place", "shop.billing.api.charge", orders, (10, 11)
                ),
            ),
        ),
        ServiceCalls(
            "billing",
            "orders",
            1,
            (
                BoundaryCall(
                    "shop.billing.api.refund",
                    "shop.orders.service.cancel",
                    "shop/billing/api.py",
                    (14,),
                ),
            ),
        ),
        ServiceCalls(
            "orders",
            "catalog",
            1,
            (BoundaryCall("shop.orders.service.place", "shop.catalog.search.find", orders, (8,)),),
        ),
    )


def test_report_context_carries_the_calls(analysis: Analysis, plan) -> None:
    context = report_context(analysis, plan)
    assert context.call_sites == call_sites(analysis)
    assert context.service_calls == service_calls(analysis, plan)
    assert context == report_context(analysis, plan)


def test_a_single_service_has_no_crossing_calls(analysis: Analysis, tmp_path: Path) -> None:
    everything = {"all": tuple(m for modules in SERVICES.values() for m in modules)}
    plan = build_plan(analysis, everything, SHARED, plan_dir=tmp_path)
    assert service_calls(analysis, plan) == ()
