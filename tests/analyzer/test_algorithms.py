"""Clustering algorithms: planted partitions recovered, determinism, edge cases, constraints
enforced, constraint problems reported together, stability, Bunch's hill climbing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score

from analyzer.algorithms import (
    ALGORITHMS,
    ConstraintError,
    Constraints,
    Similarity,
    bunch,
    canonical_labels,
    choose_count,
    cluster,
    constraint_problems,
    count_candidates,
    fit_count,
    modularity,
    run_algorithm,
    stability,
    turbo_mq,
)

NAMES = sorted(ALGORITHMS)
DOMAINS = ("billing", "catalog", "orders", "shipping")


def planted_edges(
    seed: int = 3, groups: int = 4, p_in: float = 0.5, p_out: float = 0.02
) -> tuple[np.ndarray, np.ndarray]:
    """Groups of 8–15 nodes, dense inside (weights 0.5–1.5), sparse weak noise between
    (weights 0.05–0.3): the weighted adjacency matrix and each node's group."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(8, 16, size=groups)
    truth = np.repeat(np.arange(groups), sizes)
    n = truth.size
    same = truth[:, None] == truth[None, :]
    weights = np.where(same, rng.uniform(0.5, 1.5, (n, n)), rng.uniform(0.05, 0.3, (n, n)))
    present = np.triu(rng.random((n, n)) < np.where(same, p_in, p_out), 1)
    upper = np.where(present, weights, 0.0)
    return upper + upper.T, truth


def planted(
    seed: int = 3, names: str = "shuffled", isolated: int = 0, **kwargs: float
) -> tuple[Similarity, np.ndarray]:
    """The planted graph as a Similarity plus the true group of each (sorted) module.

    `names="shuffled"` gives names unrelated to the groups, so name order cannot help;
    `names="domains"` gives `shop.<domain>.mNN`, for the constraint tests."""
    matrix, truth = planted_edges(seed, **kwargs)
    n = truth.size
    if names == "shuffled":
        order = np.random.default_rng(seed + 100).permutation(n)
        labels = [f"app.mod{order[i]:03d}" for i in range(n)]
    else:
        counter = {g: 0 for g in range(truth.max() + 1)}
        labels = []
        for g in truth.tolist():
            labels.append(f"shop.{DOMAINS[g]}.m{counter[g]:02d}")
            counter[g] += 1
    group = dict(zip(labels, truth.tolist(), strict=True))
    extra = [f"zz.lonely{i}" for i in range(isolated)]
    rows, cols = np.nonzero(np.triu(matrix, 1))
    edges = [(labels[r], labels[c], matrix[r, c]) for r, c in zip(rows, cols, strict=True)]
    similarity = Similarity.from_edges(labels + extra, edges)
    truth_sorted = np.array([group.get(m, -1) for m in similarity.modules])
    return similarity, truth_sorted


def where(similarity: Similarity, labels: tuple[int, ...], module: str) -> int:
    return labels[similarity.modules.index(module)]


def members(similarity: Similarity, prefix: str) -> list[int]:
    return [
        i for i, m in enumerate(similarity.modules) if m == prefix or m.startswith(prefix + ".")
    ]


# -- the Similarity type and the objectives --------------------------------------------------


def test_similarity_round_trips_through_networkx_and_validates() -> None:
    graph = nx.Graph()
    graph.add_edge("b", "a", weight=2.0)
    graph.add_edge("c", "b", weight=1.0)
    graph.add_node("d")
    similarity = Similarity.from_graph(graph)
    assert similarity.modules == ("a", "b", "c", "d")
    assert similarity.matrix[0, 1] == similarity.matrix[1, 0] == 2.0
    back = similarity.to_graph()
    assert sorted(back.edges(data="weight")) == [("a", "b", 2.0), ("b", "c", 1.0)]
    assert list(back.nodes) == ["a", "b", "c", "d"]

    directed = nx.DiGraph([("a", "b", {"weight": 1.0}), ("b", "a", {"weight": 2.0})])
    assert Similarity.from_graph(directed).matrix[0, 1] == 3.0

    with pytest.raises(ValueError, match="sorted"):
        Similarity(("b", "a"), sp.csr_matrix((2, 2)))
    with pytest.raises(ValueError, match="symmetric"):
        Similarity(("a", "b"), sp.csr_matrix(np.array([[0.0, 1.0], [0.0, 0.0]])))
    with pytest.raises(ValueError, match="negative"):
        Similarity(("a", "b"), sp.csr_matrix(np.array([[0.0, -1.0], [-1.0, 0.0]])))
    with pytest.raises(ValueError, match="diagonal"):
        Similarity(("a", "b"), sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 0.0]])))
    with pytest.raises(ValueError, match="shape"):
        Similarity(("a", "b"), sp.csr_matrix((3, 3)))


def test_modularity_matches_networkx_and_turbo_mq_its_definition() -> None:
    similarity, truth = planted(seed=5)
    graph = similarity.to_graph()
    labels = canonical_labels(truth)
    communities = [
        {m for m, label in zip(similarity.modules, labels, strict=True) if label == c}
        for c in range(max(labels) + 1)
    ]
    expected = nx.community.modularity(graph, communities, weight="weight")
    assert modularity(similarity, labels) == pytest.approx(expected)
    assert modularity(similarity, [0] * similarity.size) == pytest.approx(0.0)

    # TurboMQ by its definition: CF = 2μ / (2μ + Σ boundary), edges counted once.
    total = 0.0
    for members_c in communities:
        mu = sum(w for u, v, w in graph.edges(data="weight") if u in members_c and v in members_c)
        cut = sum(
            w for u, v, w in graph.edges(data="weight") if (u in members_c) != (v in members_c)
        )
        total += 2 * mu / (2 * mu + cut) if mu else 0.0
    assert turbo_mq(similarity, labels) == pytest.approx(total)


def test_canonical_labels_order_by_size_then_smallest_member() -> None:
    assert canonical_labels([5, 5, 9, 7, 7, 7, 9]) == (1, 1, 2, 0, 0, 0, 2)
    assert canonical_labels([]) == ()


def test_count_candidates_and_choose_count() -> None:
    assert count_candidates(1) == ()
    assert count_candidates(2) == ()
    assert count_candidates(3) == (2,)
    assert count_candidates(50) == tuple(range(2, 15))
    many = count_candidates(2000, limit=10)
    assert len(many) == 10 and many[0] == 2 and many[-1] == 89
    similarity, truth = planted()
    chosen, labels = choose_count(
        similarity, range(2, 8), lambda k: fit_count(similarity, truth, k)
    )
    assert chosen == 4
    assert adjusted_rand_score(truth, labels) == 1.0


# -- recovery, determinism, edge cases ------------------------------------------------------


@pytest.mark.parametrize("count", [4, None])
@pytest.mark.parametrize("name", NAMES)
def test_planted_partition_is_recovered(name: str, count: int | None) -> None:
    for seed in (3, 11):
        similarity, truth = planted(seed=seed)
        labels = run_algorithm(similarity, name, count, seed=0)
        assert len(labels) == similarity.size
        assert adjusted_rand_score(truth, labels) >= 0.9, (name, seed)
        assert labels == canonical_labels(labels)


def test_agglomerative_is_not_chained_by_hub_modules() -> None:
    """Three hubs tied strongly to 70% of all modules (a config, a db, a utils module): on raw
    similarity, average linkage chains half the modules into one cluster (ARI ≈ 0.5 on these
    graphs); on the degree-normalized similarity the groups come out."""
    for seed in (1, 2, 3):
        matrix, truth = planted_edges(seed)
        rng = np.random.default_rng(seed)
        n, hubs = truth.size, 3
        full = np.zeros((n + hubs, n + hubs))
        full[:n, :n] = matrix
        for h in range(hubs):
            tied = rng.random(n) < 0.7
            full[n + h, :n][tied] = rng.uniform(1.0, 2.0, tied.sum())
        full[:n, n:] = full[n:, :n].T
        similarity = Similarity(tuple(f"m{i:03d}" for i in range(n + hubs)), sp.csr_matrix(full))
        for count in (4, None):
            labels = np.asarray(run_algorithm(similarity, "agglomerative", count))
            assert adjusted_rand_score(truth, labels[:n]) >= 0.9, (seed, count)
            assert np.bincount(labels).max() <= 0.4 * labels.size


@pytest.mark.parametrize("name", NAMES)
def test_count_is_met_exactly(name: str) -> None:
    similarity, _ = planted()
    for count in (2, 7, similarity.size - 1, similarity.size, similarity.size + 5):
        labels = run_algorithm(similarity, name, count, seed=1)
        assert len(set(labels)) == min(count, similarity.size), count


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_identical_labels(name: str) -> None:
    similarity, _ = planted(p_in=0.3, p_out=0.08)
    for count in (None, 5):
        first = run_algorithm(similarity, name, count, seed=7)
        assert run_algorithm(similarity, name, count, seed=7) == first


DETERMINISM_SCRIPT = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, {tests!r})
    from analyzer.algorithms import ALGORITHMS, Constraints, cluster
    from test_algorithms import planted

    similarity, _ = planted(seed=3, names="domains", isolated=2, p_in=0.3, p_out=0.08)
    constraints = Constraints(
        pins={{"shop.orders.m00": "a", "shop.orders.m01": "b"}},
        together=(("shop.billing.m00", "shop.catalog"),),
        apart=(("shop.shipping.m00", "shop.shipping.m01"),),
        max_size=12,
    )
    out = {{}}
    for name in sorted(ALGORITHMS):
        out[name] = cluster(similarity, name, None, 3).labels
        out[name + "+constraints"] = cluster(similarity, name, None, 3, constraints).labels
    print(json.dumps(out, sort_keys=True))
    """
)


def test_labels_do_not_depend_on_the_string_hash_seed() -> None:
    script = DETERMINISM_SCRIPT.format(tests=os.path.dirname(__file__))
    outputs = []
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {f"{n}{s}" for n in NAMES for s in ("", "+constraints")}


@pytest.mark.parametrize("name", NAMES)
def test_isolated_modules_and_disconnected_graphs(name: str) -> None:
    similarity, truth = planted(seed=3, names="domains", isolated=2)
    # Isolated modules join by package, or the largest cluster when they share none.
    extra = Similarity.from_edges(
        [*similarity.modules, "shop.orders.unused"], similarity.to_graph().edges(data="weight")
    )
    truth = np.array(
        [
            truth[similarity.modules.index(m)] if m in similarity.modules else -2
            for m in extra.modules
        ]
    )
    linked = truth >= 0
    for count in (None, 4):
        labels = np.asarray(run_algorithm(extra, name, count, seed=0))
        assert adjusted_rand_score(truth[linked], labels[linked]) >= 0.9
        assert len(set(labels)) == 4
        orders = [labels[i] for i in members(extra, "shop.orders.m00")]
        assert where(extra, tuple(labels), "shop.orders.unused") == orders[0]
        assert {labels[i] for i in members(extra, "zz")} == {0}
    for count in (2, 5, 8, extra.size - 1):
        assert len(set(run_algorithm(extra, name, count, seed=0))) == count
    lonely = Similarity.from_edges(["c", "d", "e"], [("a", "b", 1.0)])
    assert run_algorithm(lonely, name, 3, seed=0) == (1, 2, 0, 0, 0)

    # Two planted graphs side by side, no edge between them: still two disjoint components.
    left, _ = planted(seed=3)
    right, _ = planted(seed=4)
    edges = [
        (prefix + u, prefix + v, w)
        for prefix, part in (("left.", left), ("right.", right))
        for u, v, w in part.to_graph().edges(data="weight")
    ]
    both = Similarity.from_edges([], edges)
    labels = run_algorithm(both, name, 2, seed=0)
    side = np.array([m.startswith("left.") for m in both.modules])
    assert adjusted_rand_score(side, labels) == 1.0
    assert len(run_algorithm(both, name, None, seed=0)) == both.size
    assert len(set(run_algorithm(both, name, 11, seed=0))) == 11


@pytest.mark.parametrize("name", NAMES)
def test_tiny_inputs(name: str) -> None:
    empty = Similarity((), sp.csr_matrix((0, 0)))
    assert run_algorithm(empty, name, None, 0) == ()
    one = Similarity(("a",), sp.csr_matrix((1, 1)))
    assert run_algorithm(one, name, None, 0) == (0,)
    assert run_algorithm(one, name, 3, 0) == (0,)
    pair = Similarity.from_edges(["a", "b"], [("a", "b", 1.0)])
    assert run_algorithm(pair, name, None, 0) == (0, 0)
    assert run_algorithm(pair, name, 2, 0) == (0, 1)
    strangers = Similarity.from_edges(["a", "b"], [])
    assert run_algorithm(strangers, name, None, 0) == (0, 0)
    assert run_algorithm(strangers, name, 2, 0) == (0, 1)
    triangle = Similarity.from_edges([], [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 1.0)])
    assert len(set(run_algorithm(triangle, name, 2, 0))) == 2
    assert cluster(one, name).labels == (0,)
    assert cluster(empty, name).count == 0


def test_bad_arguments_are_rejected() -> None:
    similarity, _ = planted()
    with pytest.raises(ValueError, match="unknown clustering algorithm 'kmeans'"):
        cluster(similarity, "kmeans")
    with pytest.raises(ValueError, match="count"):
        run_algorithm(similarity, "louvain", 0)
    with pytest.raises(ValueError, match="seed"):
        run_algorithm(similarity, "louvain", None, -1)


def test_fit_count_merges_and_splits() -> None:
    similarity, truth = planted()
    assert adjusted_rand_score(truth, fit_count(similarity, np.arange(similarity.size), 4)) == 1
    halves = fit_count(similarity, truth, 8)
    assert len(set(halves)) == 8
    # Each half lies inside one planted group: splits never mix groups.
    assert all(len(set(truth[np.asarray(halves) == c])) == 1 for c in range(8))


# -- constraints ----------------------------------------------------------------------------


def domain_graph() -> Similarity:
    return planted(seed=3, names="domains")[0]


@pytest.mark.parametrize("name", NAMES)
def test_pins_to_different_services_are_split(name: str) -> None:
    similarity = domain_graph()
    free = cluster(similarity, name, 4, 0)
    a, b = "shop.orders.m00", "shop.orders.m01"
    assert where(similarity, free.labels, a) == where(similarity, free.labels, b)
    pins = {a: "svc-a", b: "svc-b"}
    result = cluster(similarity, name, 4, 0, Constraints(pins=pins))
    label_a, label_b = where(similarity, result.labels, a), where(similarity, result.labels, b)
    assert label_a != label_b
    assert result.names == {label_a: "svc-a", label_b: "svc-b"}
    assert result.count == len(set(result.labels))


@pytest.mark.parametrize("name", NAMES)
def test_pins_to_one_service_and_package_prefixes_join(name: str) -> None:
    similarity = domain_graph()
    free = cluster(similarity, name, 4, 0)
    assert where(similarity, free.labels, "shop.orders.m00") != where(
        similarity, free.labels, "shop.billing.m00"
    )
    pins = {"shop.orders.m00": "core", "shop.billing.m00": "core", "shop.catalog": "catalog"}
    result = cluster(similarity, name, 4, 0, Constraints(pins=pins))
    core = where(similarity, result.labels, "shop.orders.m00")
    assert where(similarity, result.labels, "shop.billing.m00") == core
    catalog = {result.labels[i] for i in members(similarity, "shop.catalog")}
    assert len(catalog) == 1
    assert result.names == {core: "core", catalog.pop(): "catalog"}


@pytest.mark.parametrize("name", NAMES)
def test_together_groups_share_a_cluster(name: str) -> None:
    similarity = domain_graph()
    free = cluster(similarity, name, 4, 0)
    stray = "shop.orders.m03"
    assert (
        where(similarity, free.labels, stray) != free.labels[members(similarity, "shop.catalog")[0]]
    )
    result = cluster(similarity, name, 4, 0, Constraints(together=((stray, "shop.catalog"),)))
    joined = {result.labels[i] for i in members(similarity, "shop.catalog")}
    assert joined == {where(similarity, result.labels, stray)}


@pytest.mark.parametrize("name", NAMES)
def test_apart_groups_are_separated(name: str) -> None:
    similarity = domain_graph()
    apart = (("shop.orders.m00", "shop.orders.m01", "shop.orders.m02"),)
    result = cluster(similarity, name, 4, 0, Constraints(apart=apart))
    assert len({where(similarity, result.labels, m) for m in apart[0]}) == 3
    # The rest of the orders domain stays with the member most tied to it.
    orders = [result.labels[i] for i in members(similarity, "shop.orders")]
    assert max(orders.count(c) for c in set(orders)) >= len(orders) - 2

    # Package entries: with one cluster asked for, billing and orders must still part.
    free = cluster(similarity, name, 1, 0)
    assert free.count == 1
    packages = Constraints(apart=(("shop.billing", "shop.orders"),))
    result = cluster(similarity, name, 1, 0, packages)
    billing = {result.labels[i] for i in members(similarity, "shop.billing")}
    orders_set = {result.labels[i] for i in members(similarity, "shop.orders")}
    assert not billing & orders_set


@pytest.mark.parametrize("name", NAMES)
def test_max_size_is_enforced(name: str) -> None:
    similarity, truth = planted(seed=3, names="domains")
    free = cluster(similarity, name, None, 0)
    assert max(np.bincount(free.labels)) > 6
    result = cluster(similarity, name, None, 0, Constraints(max_size=6))
    assert max(np.bincount(result.labels)) <= 6
    # Splitting stays inside the planted groups.
    labels = np.asarray(result.labels)
    assert all(len(set(truth[labels == c])) == 1 for c in range(result.count))


@pytest.mark.parametrize("name", NAMES)
def test_all_constraints_together(name: str) -> None:
    similarity = domain_graph()
    constraints = Constraints(
        pins={"shop.orders": "orders", "shop.billing.m00": "orders", "shop.catalog.m00": "cat"},
        together=(("shop.shipping.m00", "shop.catalog.m01"),),
        apart=(("shop.catalog.m01", "shop.catalog.m02"),),
        max_size=14,
    )
    assert constraint_problems(constraints, similarity.modules) == []
    result = cluster(similarity, name, None, 2, constraints)
    label = {m: result.labels[i] for i, m in enumerate(similarity.modules)}
    orders = {result.labels[i] for i in members(similarity, "shop.orders")}
    assert orders == {label["shop.billing.m00"]}
    assert result.names[label["shop.billing.m00"]] == "orders"
    assert result.names[label["shop.catalog.m00"]] == "cat"
    assert label["shop.catalog.m00"] not in orders
    assert label["shop.shipping.m00"] == label["shop.catalog.m01"]
    assert label["shop.catalog.m01"] != label["shop.catalog.m02"]
    sizes = np.bincount(result.labels)
    big = len(members(similarity, "shop.orders")) + 1
    assert all(size <= max(14, big) for size in sizes)
    assert sorted(result.names.values()) == ["cat", "orders"]


def test_constraint_problems_are_all_reported_together() -> None:
    modules = domain_graph().modules
    constraints = Constraints(
        pins={
            "shop.nowhere": "x",
            "shop.orders": "orders",
            "shop.orders.m00": "payments",
            "shop.catalog.m00": "catalog",
            "shop.billing.m00": "billing",
            "shop.shipping.m03": "",
        },
        together=(
            ("shop.catalog.m00", "shop.billing.m00"),
            ("ghost.module",),
            ("shop.shipping.m00", "shop.shipping.m01"),
        ),
        apart=(
            ("shop.shipping.m00", "shop.shipping.m01"),
            ("shop.catalog",),
            ("shop.shipping", "shop.shipping.m02"),
            ("shop.billing.m01", "phantom"),
        ),
        max_size=0,
    )
    problems = constraint_problems(constraints, modules)
    expected = [
        "max_size must be at least 1",
        "pin 'shop.nowhere' → 'x' matches no module",
        "pin 'shop.shipping.m03' names an empty service",
        "pins 'shop.orders' → 'orders' and 'shop.orders.m00' → 'payments' both match 1 module",
        "together group ('ghost.module',): 'ghost.module' matches no module",
        "joins modules pinned to different services ('billing', 'catalog')",
        "joins 'shop.shipping.m00' and 'shop.shipping.m01', which apart group",
        "apart group ('shop.catalog',) needs at least two different entries",
        "'shop.shipping' and 'shop.shipping.m02' overlap",
        "apart group ('shop.billing.m01', 'phantom'): 'phantom' matches no module",
    ]
    for text in expected:
        assert sum(text in p for p in problems) == 1, (text, problems)
    assert len(problems) == len(expected)
    with pytest.raises(ConstraintError) as caught:
        cluster(Similarity.from_edges(modules, []), "louvain", None, 0, constraints)
    assert list(caught.value.problems) == problems

    too_big = Constraints(together=(("shop.orders",),), max_size=3)
    (problem,) = constraint_problems(too_big, modules)
    assert "more than max_size 3" in problem
    assert constraint_problems(Constraints(), modules) == []


# -- stability and Bunch --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_stability(name: str) -> None:
    similarity, _ = planted(seed=3, p_in=0.9, p_out=0.005)
    assert stability(similarity, name, 4, seed=0) == pytest.approx(1.0)
    rng = np.random.default_rng(1)
    noise = sp.random(40, 40, density=0.1, random_state=rng)
    noise = sp.csr_matrix(sp.triu(noise, 1) + sp.triu(noise, 1).T)
    random_graph = Similarity(tuple(f"m{i:02d}" for i in range(40)), noise)
    value = stability(random_graph, name, None, seed=0)
    assert 0.0 <= value <= 1.0


def test_bunch_improves_turbo_mq_over_its_start() -> None:
    similarity, _ = planted(seed=3, p_in=0.3, p_out=0.08)
    start = np.random.default_rng(0).integers(0, 6, similarity.size)
    for count in (None, 6):
        climbed = bunch(similarity, count, 0, initial=start)
        assert turbo_mq(similarity, climbed) > turbo_mq(similarity, start) + 0.5
        if count:
            assert len(set(climbed)) == count
    native = bunch(similarity, None, 0, count_by="turbomq")
    chosen = bunch(similarity, None, 0)
    assert turbo_mq(similarity, native) >= turbo_mq(similarity, chosen)
