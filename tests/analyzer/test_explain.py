"""Explanations: what holds a service together, what a dependency between services consists
of, and where the plan disagrees with the folder layout."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from analyzer.explain import (
    MoveCandidate,
    SplitPackage,
    distinctive_terms,
    layout_disagreements,
    service_cohesion,
    service_dependencies,
)
from analyzer.facts import ModuleFacts
from analyzer.pipeline import Analysis
from analyzer.signals.combine import Coupling, combine_signals
from analyzer.signals.data import model_ownership
from tests.analyzer.signals.projects import DJANGO_SHOP
from tests.trees import analyze_tree

#: The Django shop cut into services, the order views placed apart from the rest of their app.
PARTITION = {
    "shop.catalogue": "catalogue",
    "shop.catalogue.apps": "catalogue",
    "shop.catalogue.models": "catalogue",
    "shop.catalogue.search": "catalogue",
    "shop.core": "catalogue",
    "shop.core.models": "catalogue",
    "shop.orders": "orders",
    "shop.orders.apps": "orders",
    "shop.orders.models": "orders",
    "shop.orders.services": "orders",
    "shop.orders.signals": "orders",
    "shop.orders.urls": "web",
    "shop.orders.views": "web",
    "shop.urls": "web",
    "shop.settings": "web",
    "shop": "web",
    "shop.notifications": "notifications",
    "shop.notifications.handlers": "notifications",
    "shop.reports": "back_office",
    "shop.stock": "back_office",
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("explain_shop"), DJANGO_SHOP, cochange=False)


@pytest.fixture(scope="module")
def coupling(shop: Analysis) -> Coupling:
    return combine_signals(shop.facts, shop.dependencies, shop.data)


def test_partition_covers_the_shop(shop: Analysis) -> None:
    assert set(PARTITION) == set(shop.modules)


# -- service_cohesion


def test_service_cohesion_shares_sum_to_one(shop: Analysis, coupling: Coupling) -> None:
    ownership = model_ownership(shop.data, PARTITION)
    found = {
        c.service: c for c in service_cohesion(coupling.graph, PARTITION, ownership, shop.facts)
    }
    assert list(found) == sorted(set(PARTITION.values()))
    for service, cohesion in found.items():
        if not cohesion.signals:
            continue
        assert sum(s.share for s in cohesion.signals) == pytest.approx(1.0, abs=1e-3), service
        weights = [s.weight for s in cohesion.signals]
        assert weights == sorted(weights, reverse=True)  # strongest first
        assert all(0 < s.share <= 1 for s in cohesion.signals)
    assert found["catalogue"].models == ("Category", "Product")
    assert found["orders"].models == ("Order", "OrderLine")
    assert found["web"].models == ()
    assert {s.signal for s in found["orders"].signals} >= {"import", "data", "layout"}


def test_service_cohesion_weights_are_the_internal_edges() -> None:
    graph = nx.Graph()
    graph.add_edge("a1", "a2", weight=3.0, signals={"import": 1.0, "data": 2.0})
    graph.add_edge("a2", "a3", weight=1.0, signals={"import": 1.0})
    graph.add_edge("a1", "b1", weight=9.0, signals={"semantic": 9.0})  # crosses: not counted
    partition = {"a1": "A", "a2": "A", "a3": "A", "b1": "B"}
    found = {c.service: c for c in service_cohesion(graph, partition, (), ())}
    assert [(s.signal, s.weight, s.share) for s in found["A"].signals] == [
        ("data", 2.0, 0.5),
        ("import", 2.0, 0.5),  # ties: by name
    ]
    assert found["B"].signals == ()  # a service of one module: nothing inside
    assert found["B"].models == ()


def test_distinctive_terms() -> None:
    def facts(module: str, terms: dict[str, int]) -> ModuleFacts:
        return ModuleFacts(
            module, module + ".py", False, "0", 1, 1, (), (), terms=tuple(sorted(terms.items()))
        )

    modules = [
        facts("o1", {"order": 5, "basket": 3, "shared": 2}),
        facts("o2", {"order": 4, "checkout": 1, "shared": 2}),
        facts("p1", {"product": 6, "price": 2, "shared": 2, "order": 1}),
        facts("p2", {"product": 2, "shared": 2}),
    ]
    found = distinctive_terms(modules, {"o1": "orders", "o2": "orders", "p1": "cat", "p2": "cat"})
    assert found["orders"][0] == "order"
    assert "basket" in found["orders"]
    assert "checkout" not in found["orders"]  # used once
    assert found["cat"][:2] == ("product", "price")
    assert "order" not in found["cat"]  # mostly used elsewhere
    partition = {"o1": "orders", "o2": "orders", "p1": "cat", "p2": "cat"}
    assert distinctive_terms(modules, partition, limit=1) == {
        "orders": ("order",),
        "cat": ("product",),
    }
    # unplaced modules count nowhere: one service alone has no word that sets it apart
    alone = distinctive_terms(modules, {"o1": "orders", "o2": "orders"})
    assert set(alone) == {"orders"}


def test_service_terms_from_the_shop(shop: Analysis, coupling: Coupling) -> None:
    found = {c.service: c for c in service_cohesion(coupling.graph, PARTITION, (), shop.facts)}
    assert {"title", "price"} <= set(found["catalogue"].terms)
    assert "order" in found["orders"].terms
    assert "title" not in found["orders"].terms


# -- service_dependencies


def test_service_dependencies_list_kinds(shop: Analysis) -> None:
    found = {(d.source, d.target): d for d in service_dependencies(shop.dependencies, PARTITION)}
    # orders -> catalogue: only ForeignKey("catalogue.Product"), a wiring link
    fk = found[("orders", "catalogue")]
    assert set(fk.kinds) == {"wiring"}
    assert fk.pairs == 1
    assert fk.examples == ("shop.orders.models -> shop.catalogue.models (wiring 0.80)",)
    # notifications -> orders: imports and the signal wiring
    handlers = found[("notifications", "orders")]
    assert set(handlers.kinds) >= {"import", "wiring"}
    assert handlers.pairs >= 2
    assert handlers.weight == pytest.approx(sum(handlers.kinds.values()), abs=1e-3)
    # web -> orders: the views call place_order
    assert {"import", "call"} <= set(found[("web", "orders")].kinds)
    # nothing inside one service, nothing with an unplaced module
    assert all(d.source != d.target for d in found.values())
    weights = [d.weight for d in service_dependencies(shop.dependencies, PARTITION)]
    assert weights == sorted(weights, reverse=True)


def test_service_dependencies_examples_are_the_heaviest() -> None:
    graph = nx.DiGraph()
    for i in range(7):
        graph.add_edge(f"a{i}", f"b{i}", weight=float(i), signals={"import": float(i)})
    graph.add_edge("a0", "a1", weight=5.0, signals={"call": 5.0})
    partition = {**{f"a{i}": "A" for i in range(7)}, **{f"b{i}": "B" for i in range(6)}}
    (found,) = service_dependencies(graph, partition, examples=2)  # b6 is unplaced
    assert (found.source, found.target, found.pairs) == ("A", "B", 6)
    assert found.kinds == {"import": 15.0}
    assert found.examples == ("a5 -> b5 (import 5.00)", "a4 -> b4 (import 4.00)")


# -- layout_disagreements


def test_layout_disagreements_find_a_move_and_split_packages(
    shop: Analysis, coupling: Coupling
) -> None:
    moves, splits = layout_disagreements(shop.facts, PARTITION, coupling.graph)
    by_package = {s.package: dict(s.services) for s in splits}
    assert by_package["shop.orders"] == {"orders": 5, "web": 2}
    # the top-level package: `shop`, its settings and urls in web, reports and stock not
    assert by_package["shop"] == {"back_office": 2, "web": 3}
    assert "shop.catalogue" not in by_package
    assert [(m.module, m.package_service) for m in moves] == [  # by package, then module
        ("shop.reports", "web"),
        ("shop.stock", "web"),
        ("shop.orders.urls", "orders"),
        ("shop.orders.views", "orders"),
    ]
    views = next(m for m in moves if m.module == "shop.orders.views")
    assert (views.service, views.package, views.package_service) == ("web", "shop.orders", "orders")
    # its strongest tie inside its own service, with the signals of that tie
    assert views.reason.startswith("shop.orders.urls: ")
    assert "import" in views.reason


def test_layout_disagreements_rules() -> None:
    def facts(module: str, is_package: bool = False) -> ModuleFacts:
        return ModuleFacts(module, module + ".py", is_package, "0", 1, 1, (), ())

    modules = [
        facts("p.a"),
        facts("p.b"),
        facts("p.c"),
        facts("p.d"),  # p: A, A, A, B -> d moves
        facts("q.a"),
        facts("q.b"),  # q: two modules split evenly: a split, no move
        facts("r.a"),
        facts("r.b"),
        facts("r.c"),
        facts("r.d"),  # r: A, A, B, B: no majority, no move
        facts("s.a"),  # unplaced
    ]
    partition = {
        "p.a": "A", "p.b": "A", "p.c": "A", "p.d": "B",
        "q.a": "A", "q.b": "B",
        "r.a": "A", "r.b": "A", "r.c": "B", "r.d": "B",
    }  # fmt: skip
    graph = nx.Graph()
    graph.add_nodes_from(partition)
    moves, splits = layout_disagreements(modules, partition, graph)
    assert moves == (MoveCandidate("p.d", "B", "p", "A", "no tie inside its service"),)
    assert splits == (
        SplitPackage("p", {"A": 3, "B": 1}),
        SplitPackage("q", {"A": 1, "B": 1}),
        SplitPackage("r", {"A": 2, "B": 2}),
    )
    graph.add_edge("p.d", "q.b", weight=0.5, signals={"semantic": 0.5})
    graph.add_edge("p.d", "r.c", weight=0.7, signals={"data": 0.4, "import": 0.3})
    graph.add_edge("p.d", "p.a", weight=9.0, signals={"import": 9.0})  # other service
    moves, _ = layout_disagreements(modules, partition, graph)
    assert moves[0].reason == "r.c: data 0.40, import 0.30"
    moves, _ = layout_disagreements(modules, partition, nx.Graph())
    assert moves[0].reason == "no tie to any module"


def test_layout_agreement(tmp_path: Path) -> None:
    analysis = analyze_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/a.py": "", "pkg/b.py": "", "pkg/c.py": ""},
        cochange=False,
    )
    partition = dict.fromkeys(analysis.modules, "one")
    assert layout_disagreements(analysis.facts, partition, nx.Graph()) == ((), ())
