"""Clustering: domains found, hubs moved to the shared library, names, reasons, determinism."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from analyzer.cluster import (
    ClusterSettings,
    close_groups,
    cluster_modules,
    merge_small_clusters,
    service_names,
)
from analyzer.plan import is_dns_label

DOMAINS = ("orders", "payments", "catalog", "shipping")


def domain_graphs() -> tuple[nx.Graph, nx.DiGraph]:
    """Four 5-module domains, dense inside, one weak cross-domain edge each, plus a hub
    (`shop.core.db`) that every module uses and a helper only the hub uses."""
    dependencies = nx.DiGraph()
    for domain in DOMAINS:
        modules = [f"shop.{domain}.m{i}" for i in range(5)]
        for a, b in itertools.permutations(modules, 2):
            if a < b:
                dependencies.add_edge(a, b, weight=1.0, signals={"import": 1.0})
        for module in modules:
            dependencies.add_edge(module, "shop.core.db", weight=1.0, signals={"import": 1.0})
    for first, second in itertools.pairwise(DOMAINS):
        dependencies.add_edge(
            f"shop.{first}.m0", f"shop.{second}.m1", weight=0.3, signals={"call": 0.3}
        )
    dependencies.add_edge("shop.core.db", "shop.core.pool", weight=1.0, signals={"import": 1.0})
    affinity = nx.Graph()
    affinity.add_nodes_from(sorted(dependencies.nodes))
    for u, v, data in dependencies.edges(data=True):
        affinity.add_edge(u, v, **data)
    return affinity, dependencies


def test_domains_become_services_and_the_hub_is_shared() -> None:
    affinity, dependencies = domain_graphs()
    clustering = cluster_modules(affinity, dependencies, lines={})
    assert set(clustering.services) == set(DOMAINS)
    for domain in DOMAINS:
        assert clustering.services[domain] == tuple(f"shop.{domain}.m{i}" for i in range(5))
    assert clustering.shared == ("shop.core.db", "shop.core.pool")
    assert "used by 4 services" in clustering.reasons["shop.core.db"][0]


def test_reasons_name_the_strongest_ties_inside_the_service() -> None:
    affinity, dependencies = domain_graphs()
    clustering = cluster_modules(affinity, dependencies, lines={})
    reasons = clustering.reasons["shop.orders.m2"]
    assert 1 <= len(reasons) <= 3
    assert all(reason.startswith("shop.orders.") for reason in reasons)
    assert "import 1.00" in reasons[0]


def test_clustering_is_deterministic() -> None:
    first = cluster_modules(*domain_graphs(), lines={})
    for _ in range(3):
        assert cluster_modules(*domain_graphs(), lines={}) == first


def test_shared_needs_enough_clusters() -> None:
    affinity, dependencies = domain_graphs()
    settings = ClusterSettings(shared_min_clusters=10)
    clustering = cluster_modules(affinity, dependencies, lines={}, settings=settings)
    assert clustering.shared == ()


def test_close_groups_adds_modules_only_shared_modules_use() -> None:
    graph = nx.DiGraph([("a", "hub"), ("hub", "helper"), ("b", "other"), ("hub", "other")])
    assert close_groups(graph, {"hub"}, set()) == ({"hub", "helper"}, set())


def test_close_groups_adds_launchers_to_the_gateway() -> None:
    graph = nx.DiGraph([("main", "app"), ("app", "a"), ("app", "b"), ("a", "hub")])
    assert close_groups(graph, {"hub"}, {"app"}) == ({"hub"}, {"app", "main"})


def test_small_clusters_merge_into_their_closest_neighbour() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1.0)
    graph.add_edge("c", "a", weight=0.5)
    graph.add_edge("c", "d", weight=0.1)
    graph.add_edge("d", "e", weight=1.0)
    labels = merge_small_clusters(graph, {"a": 0, "b": 0, "c": 1, "d": 2, "e": 2}, minimum=2)
    assert labels == {"a": 0, "b": 0, "c": 0, "d": 2, "e": 2}


@pytest.mark.parametrize(
    ("clusters", "expected"),
    [
        ({0: ["shop.orders.a", "shop.orders.b", "shop.payments.c"]}, {0: "orders"}),
        (
            {0: ["shop.orders.a"], 1: ["shop.orders.b", "shop.orders.c"], 2: ["shop.pay.x"]},
            {1: "orders", 0: "orders-a", 2: "pay"},
        ),
        ({0: ["shop", "shop.__main__"], 1: ["shop.Big_Module"]}, {0: "shop", 1: "big-module"}),
    ],
)
def test_service_names_are_unique_dns_labels(clusters, expected) -> None:
    names = service_names(clusters, lines={})
    assert names == expected
    assert all(is_dns_label(name) for name in names.values())


def test_a_container_package_is_skipped_and_a_taken_name_goes_one_level_down() -> None:
    clusters = {
        0: ["app.contrib.admin.a", "app.contrib.admin.b", "app.contrib.admin.c"],
        1: ["app.contrib.auth.a", "app.contrib.auth.b"],
        2: ["app.contrib.auth.c"],
        3: ["app.core.x"],
    }
    names = service_names(clusters, lines={})
    # `contrib` only groups the packages: the package that holds the code names each service
    assert names == {0: "admin", 1: "auth", 2: "auth-c", 3: "core"}
