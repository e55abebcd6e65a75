"""The combined similarity: normalized signals, propagation, the layout switch, determinism."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from analyzer.pipeline import Analysis
from analyzer.signals.combine import (
    SIGNALS,
    Coupling,
    CouplingWeights,
    combine_signals,
    nearest_similarities,
    normalize_symmetric,
    package_groups,
    path_terms,
    propagate,
    propagation_matrix,
    similarity_graph,
    structural_signals,
)
from tests.trees import analyze_tree


def combined(analysis: Analysis, **options: object) -> Coupling:
    return combine_signals(
        analysis.facts,
        analysis.dependencies,
        analysis.data,
        analysis.cochange.strengths,
        **options,  # type: ignore[arg-type]
    )


def edges(graph: nx.Graph) -> dict[tuple[str, str], dict[str, object]]:
    return {tuple(sorted((a, b))): dict(data) for a, b, data in graph.edges(data=True)}


@pytest.fixture(scope="module")
def shop_coupling(django_shop: Analysis) -> Coupling:
    return combined(django_shop)


def test_every_signal_value_is_in_the_unit_interval(shop_coupling: Coupling) -> None:
    assert set(shop_coupling.signals) == set(SIGNALS)
    for name, values in shop_coupling.signals.items():
        for (a, b), value in values.items():
            assert a < b, (name, a, b)
            assert 0.0 < value <= 1.0, (name, a, b, value)
    for name in ("import", "wiring", "data", "semantic", "layout"):
        assert shop_coupling.signals[name], name  # the shop has evidence of each


def test_graph_is_the_weighted_sum_of_the_signals(shop_coupling: Coupling) -> None:
    graph = shop_coupling.graph
    assert set(graph.nodes) == set(shop_coupling.modules)
    for name, values in shop_coupling.signals.items():
        if not values:
            continue
        # one factor per signal (its weight, and whatever scaling the combination applies)
        strongest = max(values, key=lambda pair: (values[pair], pair))
        factor = graph.edges[strongest]["signals"][name] / values[strongest]
        assert factor > 0, name
        for pair, value in values.items():
            assert graph.edges[pair]["signals"][name] == pytest.approx(factor * value, abs=2e-6)
    for _, _, data in graph.edges(data=True):
        assert data["weight"] == pytest.approx(sum(data["signals"].values()), abs=1e-5)
        assert all(c > 0 for c in data["signals"].values())


def test_wiring_ties_modules_the_imports_do_not(shop_coupling: Coupling) -> None:
    pair = ("shop.orders.urls", "shop.urls")
    assert shop_coupling.signals["wiring"][pair] > 0
    assert pair not in shop_coupling.signals["import"]


def test_deterministic(django_shop: Analysis, shop_coupling: Coupling, tmp_path: Path) -> None:
    again = combined(django_shop)
    assert again.signals == shop_coupling.signals
    assert edges(again.graph) == edges(shop_coupling.graph)
    assert list(again.graph.edges(data=True)) == list(shop_coupling.graph.edges(data=True))
    from tests.analyzer.signals.projects import DJANGO_SHOP

    fresh = combined(analyze_tree(tmp_path, DJANGO_SHOP, cochange=False))
    assert fresh.signals == shop_coupling.signals
    assert edges(fresh.graph) == edges(shop_coupling.graph)


def test_propagation_gives_a_module_without_models_the_domain_of_its_neighbours(
    django_shop: Analysis, shop_coupling: Coupling
) -> None:
    views = "shop.orders.views"  # calls place_order; touches no model itself
    assert django_shop.data.entity_weights(views) == {}
    data = shop_coupling.signals["data"]
    to_orders = data.get(("shop.orders.services", views), 0.0)
    to_catalogue = data.get(("shop.catalogue.search", views), 0.0)
    assert to_orders > 0.2
    assert to_orders > to_catalogue
    # without propagation it has no data tie at all
    flat = combined(django_shop, weights=CouplingWeights(propagation=0.0))
    assert not any(views in pair for pair in flat.signals["data"])


def test_layout_signal_and_path_words_only_with_the_layout(
    django_shop: Analysis, shop_coupling: Coupling
) -> None:
    assert shop_coupling.signals["layout"][("shop.orders.models", "shop.orders.services")] > 0
    assert max(shop_coupling.signals["layout"].values()) == 1.0
    ignored = combined(django_shop, use_layout=False)
    assert ignored.signals["layout"] == {}
    assert not any("layout" in d["signals"] for _, _, d in ignored.graph.edges(data=True))
    # the structural and data signals do not depend on the layout
    for name in ("import", "call", "inheritance", "wiring", "cochange"):
        assert ignored.signals[name] == shop_coupling.signals[name]


# -- renaming every package and module changes nothing when the layout is ignored

RENAMABLE = {
    "{shop}/__init__.py": "",
    "{shop}/{cat}/__init__.py": "",
    "{shop}/{cat}/{models}.py": """
        from django.db import models


        class Product(models.Model):
            '''A product with a title and a price.'''

            title = models.CharField(max_length=100)
            price = models.IntegerField()
    """,
    "{shop}/{cat}/{search}.py": """
        from {shop}.{cat}.{models} import Product


        def find_products(title):
            return Product.objects.filter(title=title)


        def cheapest_product():
            return Product.objects.order_by("price").first()
    """,
    "{shop}/{orders}/__init__.py": "",
    "{shop}/{orders}/{models}.py": """
        from django.db import models


        class Order(models.Model):
            '''A customer's order.'''

            product = models.ForeignKey("{cat}.Product", on_delete=models.CASCADE)
            quantity = models.IntegerField()
    """,
    "{shop}/{orders}/{services}.py": """
        from {shop}.{orders}.{models} import Order


        def place_order(product, quantity):
            order = Order(product=product, quantity=quantity)
            order.save()
            return order
    """,
    "{shop}/{orders}/{views}.py": """
        from {shop}.{orders}.{services} import place_order


        def checkout(request):
            '''Place the order of the basket.'''
            return place_order(request.product, request.quantity)
    """,
    "{shop}/{reports}.py": """
        def order_totals(cursor):
            cursor.execute("SELECT SUM(quantity) FROM {orders}_order")
            return cursor.fetchone()
    """,
}

ORIGINAL = {
    "shop": "shop",
    "cat": "catalogue",
    "orders": "orders",
    "models": "models",
    "search": "search",
    "services": "services",
    "views": "views",
    "reports": "reports",
}
RENAMED = {
    "shop": "mono",
    "cat": "zeta",
    "orders": "alpha",
    "models": "records",
    "search": "lookup",
    "services": "actions",
    "views": "endpoints",
    "reports": "aaa_totals",
}


def write(names: dict[str, str]) -> dict[str, str]:
    return {path.format(**names): source.format(**names) for path, source in RENAMABLE.items()}


def module_map() -> dict[str, str]:
    found = {}
    for path in RENAMABLE:
        before = path.format(**ORIGINAL).removesuffix(".py").replace("/", ".")
        after = path.format(**RENAMED).removesuffix(".py").replace("/", ".")
        found[before.removesuffix(".__init__")] = after.removesuffix(".__init__")
    return found


def test_without_the_layout_renaming_folders_and_modules_changes_nothing(tmp_path: Path) -> None:
    first = analyze_tree(tmp_path / "a", write(ORIGINAL), cochange=False)
    second = analyze_tree(tmp_path / "b", write(RENAMED), cochange=False)
    rename = module_map()
    assert sorted(rename.values()) == sorted(second.modules)
    assert len(second.models.models) == 2  # the renamed tree is analyzed the same way
    one = combined(first, use_layout=False)
    two = combined(second, use_layout=False)

    def renamed(pair: tuple[str, str]) -> tuple[str, str]:
        a, b = rename[pair[0]], rename[pair[1]]
        return (a, b) if a < b else (b, a)

    for name in SIGNALS:
        assert {renamed(p): v for p, v in one.signals[name].items()} == dict(two.signals[name]), (
            name
        )
    assert {renamed(p): d for p, d in edges(one.graph).items()} == edges(two.graph)
    assert one.signals["data"]  # the comparison is not vacuous
    assert one.signals["semantic"]
    # with the layout, the folder names do count
    with_layout = combined(first)
    assert with_layout.signals["layout"]
    assert edges(with_layout.graph) != edges(one.graph)


def test_path_terms() -> None:
    assert path_terms("shop.orders.models") == ["shop", "orders", "models"]
    assert path_terms("a.db.Invoices") == ["invoices"]


# -- the parts


def test_structural_signals_are_symmetric_and_normalized() -> None:
    graph = nx.DiGraph()
    graph.add_edge("a", "b", signals={"import": 1.0, "call": 0.3})
    graph.add_edge("b", "a", signals={"import": 1.0})
    graph.add_edge("a", "c", signals={"import": 2.0, "unknown": 5.0})
    graph.add_edge("c", "c", signals={"import": 9.0})  # a self loop counts for nothing
    found = structural_signals(graph)
    assert set(found) == {"import", "call", "inheritance", "wiring"}
    # W(a) = 2 + 2 = 4, W(b) = 2, W(c) = 2
    assert found["import"][("a", "b")] == pytest.approx(2 / np.sqrt(4 * 2), abs=1e-6)
    assert found["import"][("a", "c")] == pytest.approx(2 / np.sqrt(4 * 2), abs=1e-6)
    assert found["call"] == {("a", "b"): 1.0}
    assert found["wiring"] == {}


def test_normalize_symmetric() -> None:
    values = {("a", "b"): 4.0, ("a", "c"): 1.0, ("b", "c"): 0.0}
    found = normalize_symmetric(values)
    assert found[("a", "b")] == pytest.approx(4 / np.sqrt(5 * 4), abs=1e-6)
    assert ("b", "c") not in found
    assert all(0 < v <= 1 for v in found.values())
    assert normalize_symmetric({("a", "b"): 7.0}) == {("a", "b"): 1.0}


def test_propagation_matrix_is_row_stochastic() -> None:
    modules = ["a", "b", "c", "lonely"]
    matrix = propagation_matrix(modules, {("a", "b"): 1.0, ("a", "c"): 3.0})
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    assert sums == pytest.approx([1.0, 1.0, 1.0, 0.0])
    assert matrix[0, 2] == pytest.approx(0.75)
    assert matrix[1, 0] == pytest.approx(1.0)


def test_propagate_mixes_two_hops() -> None:
    modules = ["a", "b", "c"]
    channel = propagation_matrix(modules, {("a", "b"): 1.0, ("b", "c"): 1.0})
    features = sp.csr_matrix(np.array([[1.0], [0.0], [0.0]]))  # only a touches the model
    mixed = propagate(features, channel, 0.5).toarray()
    assert mixed[1, 0] > 0  # one hop
    assert mixed[2, 0] > 0  # two hops
    assert propagate(features, channel, 0.0).toarray()[:, 0].tolist() == [1.0, 0.0, 0.0]
    empty = sp.csr_matrix((3, 0))
    assert propagate(empty, channel, 0.5).shape == (3, 0)


def test_nearest_similarities_mutual_and_one_sided() -> None:
    modules = ["a", "b", "c", "d"]
    rows = np.array([[1.0, 0.0], [0.96, 0.28], [0.8, 0.6], [0.0, 1.0]])
    features = sp.csr_matrix(rows)
    everyone = nearest_similarities(modules, features, neighbours=10)
    assert everyone[("a", "b")] == pytest.approx(0.96, abs=1e-6)
    assert ("a", "d") not in everyone  # below the minimum
    assert all(a < b for a, b in everyone)
    one = nearest_similarities(modules, features, neighbours=1)
    # a's nearest is b and b's nearest is a: mutual, kept whole
    assert one[("a", "b")] == pytest.approx(0.96, abs=1e-6)
    # d's nearest is c, but c's nearest is b: one-sided, halved
    assert one[("c", "d")] == pytest.approx(0.6 * 0.5, abs=1e-6)
    assert ("a", "c") not in one
    assert nearest_similarities(modules, features, neighbours=0) == {}
    assert nearest_similarities(modules, sp.csr_matrix((4, 0)), neighbours=3) == {}


def test_similarity_graph_skips_zero_weighted_signals() -> None:
    signals = {"import": {("a", "b"): 1.0}, "semantic": {("a", "b"): 0.5, ("b", "c"): 0.2}}
    weights = CouplingWeights(semantic=0.0)
    graph = similarity_graph(["a", "b", "c"], signals, weights)
    assert list(graph.edges) == [("a", "b")]
    assert set(graph.edges["a", "b"]["signals"]) == {"import"}
    assert set(graph.nodes) == {"a", "b", "c"}
    both = similarity_graph(["a", "b", "c"], signals, CouplingWeights())
    assert set(both.edges["a", "b"]["signals"]) == {"import", "semantic"}
    assert both.edges["b", "c"]["weight"] > 0


def test_cochange_is_kept_for_analyzed_pairs_only(django_shop: Analysis) -> None:
    cochange = {
        ("shop.orders.models", "shop.orders.services"): 0.5,
        ("shop.orders.models", "shop.gone"): 0.9,
        ("shop.urls", "shop.urls"): 1.0,
    }
    found = combine_signals(django_shop.facts, django_shop.dependencies, django_shop.data, cochange)
    assert found.signals["cochange"] == {("shop.orders.models", "shop.orders.services"): 0.5}


def test_coupling_weights() -> None:
    weights = CouplingWeights()
    assert {weights.of(name) for name in SIGNALS} <= set(weights.as_dict().values())
    assert "propagation" in CouplingWeights.names()
    with pytest.raises(KeyError):
        weights.of("nothing")


def test_package_groups(django_shop: Analysis) -> None:
    groups = package_groups(django_shop.facts)
    assert groups["shop.orders"] == [
        "shop.orders",
        "shop.orders.apps",
        "shop.orders.models",
        "shop.orders.services",
        "shop.orders.signals",
        "shop.orders.urls",
        "shop.orders.views",
    ]
    assert "shop.reports" in groups["shop"]
