"""Signals: import kinds weigh differently, calls and inheritance add up, layout ties siblings."""

from __future__ import annotations

import networkx as nx
import pytest

from analyzer.facts import ModuleFacts
from analyzer.signals import SignalWeights, affinity_graph, dependency_graph, layout_ties


def imports(*edges: tuple[str, str, dict[str, int]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for source, target, kinds in edges:
        graph.add_edge(source, target, statements=sum(kinds.values()), kinds=kinds)
    return graph


def facts(module: str, is_package: bool = False) -> ModuleFacts:
    return ModuleFacts(module, module.replace(".", "/") + ".py", is_package, "0", 1, 1, (), ())


@pytest.mark.parametrize(
    ("kind", "weight"),
    [("top_level", 1.0), ("function", 0.7), ("fallback", 0.5), ("type_checking", 0.25)],
)
def test_import_kind_weights(kind: str, weight: float) -> None:
    graph = dependency_graph(["a", "b"], imports(("a", "b", {kind: 1})), {}, {})
    assert graph.edges["a", "b"]["weight"] == weight


def test_type_checking_weighs_less_than_a_runtime_import() -> None:
    graph = dependency_graph(
        ["a", "b", "c"],
        imports(("a", "b", {"type_checking": 1}), ("a", "c", {"top_level": 1})),
        {},
        {},
    )
    assert graph.edges["a", "b"]["weight"] < graph.edges["a", "c"]["weight"]


def test_signals_add_up_and_saturate() -> None:
    weights = SignalWeights()
    graph = dependency_graph(
        ["a", "b"], imports(("a", "b", {"top_level": 1})), {("a", "b"): 10}, {("a", "b"): 1}
    )
    signals = graph.edges["a", "b"]["signals"]
    assert signals["import"] == 1.0
    assert signals["inheritance"] == weights.inheritance
    assert weights.call < signals["call"] < 10 * weights.call
    assert graph.edges["a", "b"]["weight"] == pytest.approx(sum(signals.values()))


def test_layout_ties_siblings_with_a_bounded_total() -> None:
    modules = [facts("p", True), facts("p.a"), facts("p.b"), facts("p.c"), facts("q.x")]
    ties = layout_ties(modules, weight=1.0)
    assert ties[("p.a", "p.b")] == pytest.approx(1 / 3)
    assert ("p.a", "q.x") not in ties
    per_module = sum(w for pair, w in ties.items() if "p.a" in pair)
    assert per_module == pytest.approx(1.0)


def test_affinity_sums_both_directions_and_can_ignore_layout() -> None:
    modules = [facts("p.a"), facts("p.b")]
    dependencies = dependency_graph(
        ["p.a", "p.b"],
        imports(("p.a", "p.b", {"top_level": 1}), ("p.b", "p.a", {"function": 1})),
        {},
        {},
    )
    with_layout = affinity_graph(dependencies, modules)
    without = affinity_graph(dependencies, modules, use_layout=False)
    assert without.edges["p.a", "p.b"]["weight"] == pytest.approx(1.7)
    assert with_layout.edges["p.a", "p.b"]["signals"]["layout"] == 1.0


def test_layout_ties_sub_packages_to_their_parent_but_not_to_the_top() -> None:
    modules = [
        facts("app", True),
        facts("app.locale", True),
        facts("app.locale.de", True),
        facts("app.locale.de.formats"),
        facts("app.locale.fr", True),
    ]
    ties = layout_ties(modules, weight=1.0)
    assert ties[("app.locale", "app.locale.de")] == 0.5
    assert ties[("app.locale", "app.locale.fr")] == 0.5
    assert ("app", "app.locale") not in ties


def test_huge_packages_are_tied_as_a_star() -> None:
    modules = [facts("big", True)] + [facts(f"big.m{i:03}") for i in range(100)]
    ties = layout_ties(modules, weight=1.0)
    assert len(ties) == 100
    assert all("big" in pair for pair in ties)
