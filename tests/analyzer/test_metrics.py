"""Unit tests for analyzer.metrics: each metric against a small hand-computed example."""

from __future__ import annotations

import itertools
from dataclasses import fields

import networkx as nx
import pytest

from analyzer.metrics import (
    METRIC_DEFINITIONS,
    CrossCall,
    PlanMetrics,
    ServiceMetrics,
    adjusted_rand,
    compute_metrics,
    fold_constructors,
    icp,
    ifn,
    interface_functions,
    largest_service_share,
    modularity,
    ned,
    service_cohesion,
    service_coupling,
    service_cycles,
    service_dependency_graph,
    service_fan,
    structural_modularity,
    turbo_mq,
)

# ---------------------------------------------------------------------------------------------
# Fixture 1: two services plus a shared module and a self-loop.
#
#   A = {a.x, a.y}    B = {b.x, b.y}    s.util is shared (not in the partition)
#
#   a.x -> a.y  w=2      (intra A)
#   a.y -> b.x  w=1      (A -> B)
#   b.x -> b.y  w=1      (intra B)
#   b.y -> b.x  w=1      (intra B, reciprocal)
#   b.x -> a.x  w=1      (B -> A)
#   a.x -> s.util w=5    dropped: touches a module outside the partition
#   s.util -> b.y w=5    dropped
#   a.x -> a.x  w=3      dropped: self-loop
#
# Kept: 5 edges, total weight 6; crossing weight 2 (2 edges).


def two_services() -> tuple[nx.DiGraph, dict[str, str]]:
    graph = nx.DiGraph()
    graph.add_edge("a.x", "a.y", weight=2.0)
    graph.add_edge("a.y", "b.x", weight=1.0)
    graph.add_edge("b.x", "b.y", weight=1.0)
    graph.add_edge("b.y", "b.x", weight=1.0)
    graph.add_edge("b.x", "a.x", weight=1.0)
    graph.add_edge("a.x", "s.util", weight=5.0)
    graph.add_edge("s.util", "b.y", weight=5.0)
    graph.add_edge("a.x", "a.x", weight=3.0)
    partition = {"a.x": "A", "a.y": "A", "b.x": "B", "b.y": "B"}
    return graph, partition


# Fixture 2: three services, unit weights (no weight attribute at all -> 1.0).
#
#   A = {a1, a2}   B = {b1}   C = {c1, c2}
#
#   a1 -> a2 (intra A)   a2 -> b1 (A->B)   b1 -> c1 (B->C)
#   c1 -> c2 (intra C)   c2 -> a1 (C->A)   a1 -> c1 (A->C)


def three_services() -> tuple[nx.DiGraph, dict[str, str]]:
    graph = nx.DiGraph()
    graph.add_edges_from(
        [("a1", "a2"), ("a2", "b1"), ("b1", "c1"), ("c1", "c2"), ("c2", "a1"), ("a1", "c1")]
    )
    partition = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "c2": "C"}
    return graph, partition


# ---------------------------------------------------------------------------------------------
# service dependency graph


def test_service_dependency_graph_sums_crossing_weight() -> None:
    graph, partition = two_services()
    graph.add_edge("a.x", "b.y", weight=0.5)
    # A -> B: a.y->b.x (1) + a.x->b.y (0.5) = 1.5 over 2 edges; B -> A: b.x->a.x (1).
    sdg = service_dependency_graph(graph, partition)
    assert list(sdg.nodes) == ["A", "B"]
    assert sdg["A"]["B"] == {"weight": 1.5, "edges": 2}
    assert sdg["B"]["A"] == {"weight": 1.0, "edges": 1}
    assert not sdg.has_edge("A", "A")


def test_service_dependency_graph_keeps_isolated_services() -> None:
    graph, partition = two_services()
    partition = {**partition, "c.lonely": "C"}  # a module absent from the graph
    sdg = service_dependency_graph(graph, partition)
    assert list(sdg.nodes) == ["A", "B", "C"]
    assert sdg.degree("C") == 0


# ---------------------------------------------------------------------------------------------
# modularity


def test_modularity_hand_computed() -> None:
    # Undirected, reciprocal weights summed: {a.x,a.y}=2, {a.y,b.x}=1, {b.x,b.y}=1+1=2,
    # {a.x,b.x}=1; m = 6.  Degrees: a.x=3, a.y=3, b.x=4, b.y=2 -> d_A = 6, d_B = 6.
    # Q = Σ_c L_c/m - (d_c/2m)^2 = 2 * (2/6 - (6/12)^2) = 2 * (1/3 - 1/4) = 1/6.
    graph, partition = two_services()
    assert modularity(graph, partition) == pytest.approx(1 / 6)


def test_modularity_one_service_is_zero() -> None:
    # One community holding everything: Q = m/m - (2m/2m)^2 = 0.
    graph, partition = two_services()
    assert modularity(graph, dict.fromkeys(partition, "all")) == pytest.approx(0.0)


def test_modularity_singletons_negative() -> None:
    # Each module alone, edges a->b (1), b->c (1): m = 2, no L_c.
    # degrees a=1, b=2, c=1 -> Q = -(1/4)^2 - (2/4)^2 - (1/4)^2 = -6/16 = -0.375.
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    assert modularity(graph, {"a": "1", "b": "2", "c": "3"}) == pytest.approx(-0.375)


# ---------------------------------------------------------------------------------------------
# TurboMQ


def test_turbo_mq_two_services() -> None:
    # μ_A = 2 (a.x->a.y), μ_B = 2 (b.x<->b.y), ε_AB = 1, ε_BA = 1.
    # CF_A = 2·2 / (2·2 + 1 + 1) = 4/6 = 2/3; CF_B = 2/3; TurboMQ = 4/3.
    graph, partition = two_services()
    assert turbo_mq(graph, partition) == pytest.approx(4 / 3)


def test_turbo_mq_three_services() -> None:
    # μ_A = 1, μ_B = 0 (CF_B = 0), μ_C = 1.
    # A's boundary: A->B 1, A->C 1, C->A 1 = 3 -> CF_A = 2/(2+3) = 0.4.
    # C's boundary: B->C 1, C->A 1, A->C 1 = 3 -> CF_C = 0.4.  TurboMQ = 0.8.
    graph, partition = three_services()
    assert turbo_mq(graph, partition) == pytest.approx(0.8)


# ---------------------------------------------------------------------------------------------
# ICP


def test_icp_two_services() -> None:
    # Crossing weight 1 (a.y->b.x) + 1 (b.x->a.x) = 2 over total 6 = 1/3.
    # (With the self-loop or the shared edges counted it would differ: 2/9 or 2/16.)
    graph, partition = two_services()
    assert icp(graph, partition) == pytest.approx(1 / 3)


def test_icp_default_weight_is_one() -> None:
    # Fixture 2 has no weight attributes: crossing edges a2->b1, b1->c1, c2->a1, a1->c1 = 4
    # of 6 edges -> 4/6 = 2/3.
    graph, partition = three_services()
    assert icp(graph, partition) == pytest.approx(2 / 3)


# ---------------------------------------------------------------------------------------------
# interface functions and IFN

CALLS = [
    CrossCall("a.y", "b.x", "b.x.handle"),  # A calls B: B exposes b.x.handle
    CrossCall("b.x", "a.x", "a.x.Order"),  # B calls A: A exposes a.x.Order
    CrossCall("b.y", "a.x", "a.x.Order"),  # same callee again: counted once
    CrossCall("b.y", "a.x", "a.x.cancel"),  # A exposes a.x.cancel
    CrossCall("a.x", "a.y", "a.y.helper"),  # intra-service: not an interface
    CrossCall("a.x", "s.util", "s.util.log"),  # shared callee: ignored
    CrossCall("s.util", "b.y", "b.y.hook"),  # shared caller: ignored
]


def test_interface_functions_hand_computed() -> None:
    _, partition = two_services()
    partition = {**partition, "c.lonely": "C"}
    assert interface_functions(CALLS, partition) == {
        "A": frozenset({"a.x.Order", "a.x.cancel"}),
        "B": frozenset({"b.x.handle"}),
        "C": frozenset(),
    }


def test_ifn_mean_interface_count() -> None:
    # A has 2, B has 1, C has 0 -> (2 + 1 + 0) / 3 = 1.0; without C: 3/2 = 1.5.
    _, partition = two_services()
    assert ifn(interface_functions(CALLS, partition)) == pytest.approx(1.5)
    partition = {**partition, "c.lonely": "C"}
    assert ifn(interface_functions(CALLS, partition)) == pytest.approx(1.0)


# An instantiation `Order(...)` in b.y.make (line 3) of a.x.Order, whose __init__ is its own;
# `Refund(...)` (line 4) of a.x.Refund, which inherits a.x.Base.__init__; and in an __init__
# of b.y, `super().__init__(Order())` on one line, which also calls a.x.Base.__init__.
INSTANTIATIONS = [
    CrossCall("b.y", "a.x", "a.x.Order", "b.y.make", 3, instantiates=True),
    CrossCall("b.y", "a.x", "a.x.Order.__init__", "b.y.make", 3),
    CrossCall("b.y", "a.x", "a.x.Order.__new__", "b.y.make", 3),
    CrossCall("b.y", "a.x", "a.x.Refund", "b.y.make", 4, instantiates=True),
    CrossCall("b.y", "a.x", "a.x.Base.__init__", "b.y.make", 4),
    CrossCall("b.y", "a.x", "a.x.Order", "b.y.Mine.__init__", 9, instantiates=True),
    CrossCall("b.y", "a.x", "a.x.Order.__init__", "b.y.Mine.__init__", 9),
    CrossCall("b.y", "a.x", "a.x.Order.__new__", "b.y.Mine.__init__", 9),
    CrossCall("b.y", "a.x", "a.x.Base.__init__", "b.y.Mine.__init__", 9),
]


def test_fold_constructors_counts_an_instantiation_once() -> None:
    assert [(c.callee, c.line) for c in fold_constructors(INSTANTIATIONS)] == [
        ("a.x.Order", 3),
        ("a.x.Refund", 4),  # the inherited Base.__init__ is Refund's constructor
        ("a.x.Order", 9),
        ("a.x.Base.__init__", 9),  # super().__init__(...): Order runs its own __init__
    ]


def test_fold_constructors_keeps_calls_without_a_place_and_drops_duplicates() -> None:
    calls = [
        CrossCall("b.y", "a.x", "a.x.Order", instantiates=True),
        CrossCall("b.y", "a.x", "a.x.Order.__init__"),
        CrossCall("b.y", "a.x", "a.x.Order.__init__"),
        CrossCall("b.y", "a.x", "a.x.Other.__init__", "b.y.f", 5),  # nothing instantiated there
    ]
    assert fold_constructors(calls) == [calls[0], calls[1], calls[3]]


def test_interface_lists_a_class_not_its_constructor() -> None:
    _, partition = two_services()
    interfaces = interface_functions(INSTANTIATIONS, partition)
    assert interfaces["A"] == frozenset({"a.x.Order", "a.x.Refund", "a.x.Base.__init__"})
    assert interfaces["B"] == frozenset()
    # Without places the constructors of listed classes are still left out.
    unplaced = [
        CrossCall("b.y", "a.x", "a.x.Order", instantiates=True),
        CrossCall("b.y", "a.x", "a.x.Order.__init__"),
        CrossCall("b.y", "a.x", "a.x.Order.__new__"),
        CrossCall("b.y", "a.x", "a.x.Other.__init__"),
    ]
    assert interface_functions(unplaced, partition)["A"] == frozenset(
        {"a.x.Order", "a.x.Other.__init__"}
    )
    plan, services = compute_metrics(nx.DiGraph(), partition, INSTANTIATIONS)
    assert services["A"].interface_functions == 3
    assert plan.ifn == pytest.approx(1.5)


def test_ifn_no_services() -> None:
    assert ifn({}) == 0.0
    assert interface_functions(CALLS, {}) == {}


# ---------------------------------------------------------------------------------------------
# NED and largest service share


def sized_partition(*sizes: int) -> dict[str, str]:
    return {f"s{i}.m{j}": f"s{i}" for i, size in enumerate(sizes) for j in range(size)}


@pytest.mark.parametrize(
    ("sizes", "lower", "upper", "expected"),
    [
        # 3 < 5 extreme, 5 and 20 within the inclusive bounds, 21 > 20 extreme:
        # (5 + 20) / (3 + 5 + 20 + 21) = 25/49.
        ((3, 5, 20, 21), 5, 20, 25 / 49),
        # All services small: nothing non-extreme.
        ((2, 2), 5, 20, 0.0),
        # Bounds are parameters: [2, 3] keeps the 2 and 3 -> (2 + 3) / (1 + 2 + 3 + 4) = 0.5.
        ((1, 2, 3, 4), 2, 3, 0.5),
        # Everything within wide bounds.
        ((1, 50), 1, 100, 1.0),
        # Empty partition.
        ((), 5, 20, 0.0),
    ],
)
def test_ned(sizes: tuple[int, ...], lower: int, upper: int, expected: float) -> None:
    assert ned(sized_partition(*sizes), lower=lower, upper=upper) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [((3, 5, 20, 21), 21 / 49), ((2, 2), 0.5), ((7,), 1.0), ((), 0.0)],
)
def test_largest_service_share(sizes: tuple[int, ...], expected: float) -> None:
    assert largest_service_share(sized_partition(*sizes)) == pytest.approx(expected)


# ---------------------------------------------------------------------------------------------
# structural modularity


def test_structural_modularity_two_services() -> None:
    # Counts, not weights.  N_A = N_B = 2; μ_A = 1 (a.x->a.y), μ_B = 2 (b.x<->b.y).
    # scoh_A = 1/4, scoh_B = 2/4 -> mean 3/8.  σ_AB = 2 (a.y->b.x, b.x->a.x),
    # scop_AB = 2 / (2·2·2) = 1/4, one pair.  SM = 3/8 - 1/4 = 1/8.
    graph, partition = two_services()
    assert structural_modularity(graph, partition) == pytest.approx(0.125)


def test_structural_modularity_three_services() -> None:
    # N = (2, 1, 2); μ = (1, 0, 1) -> scoh = (1/4, 0, 1/4), mean = 1/6.
    # σ_AB = 1 -> 1/(2·2·1) = 1/4;  σ_BC = 1 -> 1/(2·1·2) = 1/4;
    # σ_AC = 2 (c2->a1, a1->c1) -> 2/(2·2·2) = 1/4.  Sum 3/4 over 3 pairs = 1/4.
    # SM = 1/6 - 1/4 = -1/12.
    graph, partition = three_services()
    assert structural_modularity(graph, partition) == pytest.approx(-1 / 12)


def test_structural_modularity_one_service_is_cohesion_only() -> None:
    # One service of 4 modules: all 5 kept edges of fixture 1 are intra -> 5 / 4² = 5/16;
    # K = 1, so there is no coupling term.
    graph, partition = two_services()
    assert structural_modularity(graph, dict.fromkeys(partition, "all")) == pytest.approx(5 / 16)


# ---------------------------------------------------------------------------------------------
# per-service metrics


def test_service_cohesion() -> None:
    # A: 1 intra edge of 2·1 possible = 0.5;  B: 2 of 2 = 1.0.
    graph, partition = two_services()
    assert service_cohesion(graph, partition) == pytest.approx({"A": 0.5, "B": 1.0})
    # Fixture 2: A 1/2, B single module -> 1.0 by definition, C 1/2.
    graph, partition = three_services()
    assert service_cohesion(graph, partition) == pytest.approx({"A": 0.5, "B": 1.0, "C": 0.5})


def test_service_cohesion_single_module_with_self_loop() -> None:
    graph = nx.DiGraph([("m", "m")])
    assert service_cohesion(graph, {"m": "S"}) == {"S": 1.0}


def test_service_coupling() -> None:
    # A's outgoing: a.x->a.y 2, a.y->b.x 1 (a.x->s.util and the self-loop dropped) -> 1/3.
    # B's outgoing: b.x->b.y 1, b.y->b.x 1, b.x->a.x 1 -> 1/3.
    graph, partition = two_services()
    assert service_coupling(graph, partition) == pytest.approx({"A": 1 / 3, "B": 1 / 3})
    # Fixture 2: A out a1->a2, a2->b1, a1->c1 -> 2/3; B out b1->c1 -> 1;
    # C out c1->c2, c2->a1 -> 1/2.
    graph, partition = three_services()
    assert service_coupling(graph, partition) == pytest.approx({"A": 2 / 3, "B": 1.0, "C": 0.5})


def test_service_coupling_without_outgoing_edges() -> None:
    graph = nx.DiGraph([("a", "b")])
    assert service_coupling(graph, {"a": "A", "b": "B"}) == {"A": 1.0, "B": 0.0}


def test_service_fan() -> None:
    # SDG of fixture 2: A->B, A->C, B->C, C->A.
    # A: depended on by C (1), depends on B, C (2); B: (1, 1); C: by A, B (2), on A (1).
    graph, partition = three_services()
    assert service_fan(graph, partition) == {"A": (1, 2), "B": (1, 1), "C": (2, 1)}


# ---------------------------------------------------------------------------------------------
# cycles


def test_service_cycles_two_services() -> None:
    graph, partition = two_services()
    assert service_cycles(graph, partition) == [["A", "B"]]


def test_service_cycles_three_services_sorted_and_limited() -> None:
    # SDG edges A->B, B->C, C->A, A->C: cycles A->B->C->A and A->C->A.
    graph, partition = three_services()
    assert service_cycles(graph, partition) == [["A", "B", "C"], ["A", "C"]]
    assert service_cycles(graph, partition, limit=1) == [["A", "B", "C"]]
    assert service_cycles(graph, partition, limit=0) == []


def test_service_cycles_rotated_to_smallest_name() -> None:
    # zeta -> alpha -> mid -> zeta is reported starting at "alpha".
    graph = nx.DiGraph([("z", "a"), ("a", "m"), ("m", "z")])
    partition = {"z": "zeta", "a": "alpha", "m": "mid"}
    assert service_cycles(graph, partition) == [["alpha", "mid", "zeta"]]


def test_service_cycles_none_in_a_dag() -> None:
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    assert service_cycles(graph, {"a": "A", "b": "B", "c": "C"}) == []


def complete_service_graph(n: int) -> tuple[nx.DiGraph, dict[str, str]]:
    names = [f"s{i}" for i in range(n)]
    graph = nx.DiGraph(itertools.permutations(names, 2))
    return graph, {name: name.upper() for name in names}


def test_service_cycles_agree_with_networkx() -> None:
    # Complete digraph on 4 services: 6 two-cycles + 8 three-cycles + 6 four-cycles = 20.
    graph, partition = complete_service_graph(4)
    expected = []
    for cycle in nx.simple_cycles(service_dependency_graph(graph, partition)):
        i = cycle.index(min(cycle))
        expected.append(cycle[i:] + cycle[:i])
    expected.sort()
    assert len(expected) == 20
    assert service_cycles(graph, partition) == expected
    # The limit keeps a prefix of the sorted list.
    assert service_cycles(graph, partition, limit=7) == expected[:7]


@pytest.mark.parametrize("seed", range(12))
def test_service_cycles_random_graphs_agree_with_networkx(seed: int) -> None:
    graph = nx.gnp_random_graph(8, 0.3, seed=seed, directed=True)
    graph = nx.relabel_nodes(graph, {i: f"m{i}" for i in graph})
    partition = {node: node.upper() for node in graph}
    expected = []
    for cycle in nx.simple_cycles(service_dependency_graph(graph, partition)):
        i = cycle.index(min(cycle))
        expected.append(cycle[i:] + cycle[:i])
    expected.sort()
    assert service_cycles(graph, partition, limit=10**6) == expected
    assert service_cycles(graph, partition, limit=3) == expected[:3]


def test_service_cycles_sparse_graph_has_no_exponential_dead_ends() -> None:
    # 80 services, about 4 dependencies each: a plain depth-first search wanders through
    # exponentially many paths that never close; the reachability pruning keeps this instant.
    graph = nx.gnp_random_graph(80, 0.05, seed=1, directed=True)
    graph = nx.relabel_nodes(graph, {i: f"m{i:03d}" for i in graph})
    cycles = service_cycles(graph, {node: node for node in graph}, limit=100)
    assert len(cycles) == 100
    assert cycles == sorted(cycles)


def test_service_cycles_limit_stops_enumeration_on_dense_graph() -> None:
    # A complete digraph on 12 services has billions of simple cycles; the limit keeps it fast.
    graph, partition = complete_service_graph(12)
    cycles = service_cycles(graph, partition, limit=100)
    assert len(cycles) == 100
    assert cycles == sorted(cycles)
    assert cycles[0] == ["S0", "S1"]


# ---------------------------------------------------------------------------------------------
# adjusted Rand index


def test_adjusted_rand_hand_computed() -> None:
    # a = X X X Y Y Y, b = P P Q Q R R over m0..m5.
    # Contingency: X∩P 2, X∩Q 1, Y∩Q 1, Y∩R 2 -> Σ C(n_ij, 2) = 1 + 1 = 2.
    # Rows (3, 3) -> 3 + 3 = 6; columns (2, 2, 2) -> 3; C(6, 2) = 15.
    # expected = 6·3/15 = 1.2; max = (6 + 3)/2 = 4.5; ARI = (2 - 1.2)/(4.5 - 1.2) = 8/33.
    a = {f"m{i}": label for i, label in enumerate("XXXYYY")}
    b = {f"m{i}": label for i, label in enumerate("PPQQRR")}
    b["only.in.b"] = "Z"  # ignored: not common
    assert adjusted_rand(a, b) == pytest.approx(8 / 33)


def test_adjusted_rand_identical_up_to_labels() -> None:
    a = {"m1": "x", "m2": "x", "m3": "y"}
    b = {"m1": "one", "m2": "one", "m3": "two"}
    assert adjusted_rand(a, b) == pytest.approx(1.0)


def test_adjusted_rand_no_common_modules() -> None:
    assert adjusted_rand({"a": "X"}, {"b": "X"}) == 0.0


# ---------------------------------------------------------------------------------------------
# edge cases common to every metric


@pytest.mark.parametrize(
    "partition",
    [{}, {"a": "A"}, {"a": "A", "b": "B"}],
    ids=["no-modules", "one-module", "two-services"],
)
def test_empty_graph(partition: dict[str, str]) -> None:
    graph = nx.DiGraph()
    assert modularity(graph, partition) == 0.0
    assert turbo_mq(graph, partition) == 0.0
    assert icp(graph, partition) == 0.0
    assert structural_modularity(graph, partition) == 0.0
    assert service_cycles(graph, partition) == []
    assert service_coupling(graph, partition) == dict.fromkeys(partition.values(), 0.0)
    assert service_cohesion(graph, partition) == dict.fromkeys(partition.values(), 1.0)


def test_only_shared_modules_in_graph_is_like_empty() -> None:
    # Every edge touches a module outside the partition, so nothing remains.
    graph = nx.DiGraph([("a", "lib"), ("lib", "b"), ("a", "a")])
    partition = {"a": "A", "b": "B"}
    plan, _ = compute_metrics(graph, partition, [])
    assert plan.modularity == plan.turbo_mq == plan.icp == plan.structural_modularity == 0.0
    assert plan.cross_service_edges == 0


def test_zero_weight_edges() -> None:
    graph = nx.DiGraph()
    graph.add_edge("a", "b", weight=0.0)
    partition = {"a": "A", "b": "B"}
    assert modularity(graph, partition) == 0.0
    assert icp(graph, partition) == 0.0
    assert turbo_mq(graph, partition) == 0.0


def test_insertion_order_does_not_matter() -> None:
    graph, partition = two_services()
    reversed_graph = nx.DiGraph()
    reversed_graph.add_nodes_from(reversed(list(graph.nodes)))
    reversed_graph.add_edges_from(reversed(list(graph.edges(data=True))))
    reversed_partition = dict(reversed(list(partition.items())))
    first = compute_metrics(graph, partition, CALLS)
    second = compute_metrics(reversed_graph, reversed_partition, list(reversed(CALLS)))
    assert first[0].as_dict() == second[0].as_dict()
    assert list(first[1]) == list(second[1])


# ---------------------------------------------------------------------------------------------
# compute_metrics, PlanMetrics, ServiceMetrics, METRIC_DEFINITIONS


def test_compute_metrics_two_services() -> None:
    graph, partition = two_services()
    plan, services = compute_metrics(graph, partition, CALLS)
    assert plan.as_dict() == {
        "modularity": 0.1667,  # 1/6
        "turbo_mq": 1.3333,  # 4/3
        "icp": 0.3333,  # 2/6
        "ifn": 1.5,  # (2 + 1)/2
        "ned": 0.0,  # both services have 2 < 5 modules
        "structural_modularity": 0.125,  # 3/8 - 1/4
        "service_count": 2,
        "cross_service_edges": 2,  # a.y->b.x, b.x->a.x
        "service_cycles": 1,  # A <-> B
        "largest_service_share": 0.5,  # 2 of 4
    }
    assert list(services) == ["A", "B"]
    assert services["A"] == ServiceMetrics(
        modules=2,
        cohesion=0.5,
        coupling=pytest.approx(1 / 3),
        afferent=1,
        efferent=1,
        interface_functions=2,
    )
    assert services["B"].as_dict() == {
        "modules": 2,
        "cohesion": 1.0,
        "coupling": 0.3333,
        "afferent": 1,
        "efferent": 1,
        "interface_functions": 1,
    }


def test_compute_metrics_without_calls_and_services() -> None:
    plan, services = compute_metrics(nx.DiGraph(), {})
    assert services == {}
    assert plan.service_count == 0
    assert all(value == 0 for value in plan.as_dict().values())


def test_as_dict_key_order_and_rounding() -> None:
    plan = PlanMetrics(
        modularity=-0.00001,  # rounds to -0.0, reported as 0.0
        turbo_mq=1 / 3,
        icp=0.123456,
        ifn=2.0,
        ned=0.5,
        structural_modularity=-1 / 12,
        service_count=3,
        cross_service_edges=4,
        service_cycles=1,
        largest_service_share=2 / 3,
    )
    data = plan.as_dict()
    assert list(data) == [f.name for f in fields(PlanMetrics)]
    assert data["modularity"] == 0.0 and str(data["modularity"]) == "0.0"
    assert data["turbo_mq"] == 0.3333
    assert data["icp"] == 0.1235
    assert data["structural_modularity"] == -0.0833
    assert data["largest_service_share"] == 0.6667
    assert isinstance(data["service_count"], int)


def test_dataclasses_are_frozen() -> None:
    call = CrossCall("a", "b", "b.f")
    with pytest.raises(AttributeError):
        call.callee = "x"  # type: ignore[misc]
    plan, _ = compute_metrics(nx.DiGraph(), {})
    with pytest.raises(AttributeError):
        plan.icp = 1.0  # type: ignore[misc]


def test_metric_definitions_cover_plan_metrics() -> None:
    assert list(METRIC_DEFINITIONS) == [f.name for f in fields(PlanMetrics)]
    for name, text in METRIC_DEFINITIONS.items():
        assert "better" in text, name
        assert "\n" not in text, name
