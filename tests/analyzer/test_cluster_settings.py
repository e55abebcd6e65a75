"""ClusterSettings end to end through propose_plan: the architect's constraints (pin, together,
apart, max_size), a forced number of services, modules without any tie, stability across
seeds and determinism, for every algorithm.

The tree is tests/domain_trees.plain_shop(): five domains of four modules (models, repository,
service, api) behind an entry point (`shop.app`, `shop.__main__`) and two infrastructure
modules every domain uses (`shop.core.db`, `shop.core.config`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analyzer.algorithms import ALGORITHMS, Constraints
from analyzer.cluster import GATEWAY, NO_TIES, Clustering, ClusterSettings
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan, dump_plan_yaml
from analyzer.planning import propose_plan, stability_of
from analyzer.signals.combine import CouplingWeights
from tests.domain_trees import PLAIN_DOMAINS, PLAIN_LAYERS, oscar_like_shop, plain_shop
from tests.trees import analyze_tree, write_tree

REPO = Path(__file__).resolve().parents[2]
ALGORITHM_NAMES = sorted(ALGORITHMS)
DOMAINS = tuple(PLAIN_DOMAINS)
LEGACY = "shop.payments.legacy_codes"
#: A module with code that nothing uses and that uses nothing: no tie of any kind.
LEGACY_FILE = {
    "shop/payments/legacy_codes.py": '"""Old terminal codes, kept for the record."""\n\n'
    'LEGACY_CODES = {"A1": "visa", "B2": "maestro"}\n'
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("plain_shop"), plain_shop(), cochange=False)


@pytest.fixture(scope="module")
def shop_with_legacy(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    root = tmp_path_factory.mktemp("plain_shop_legacy")
    return analyze_tree(root, {**plain_shop(), **LEGACY_FILE}, cochange=False)


def proposed(
    analysis: Analysis,
    algorithm: str,
    *,
    use_layout: bool = True,
    weights: CouplingWeights = CouplingWeights(),
    **settings: object,
) -> tuple[DecompositionPlan, Clustering]:
    return propose_plan(
        analysis,
        ClusterSettings(algorithm=algorithm, **settings),  # type: ignore[arg-type]
        plan_dir=analysis.root.parent,
        use_layout=use_layout,
        weights=weights,
    )


def layers(domain: str) -> list[str]:
    """The modules of a domain that hold code."""
    return [f"shop.{domain}.{layer}" for layer in PLAIN_LAYERS]


def home(clustering: Clustering, module: str) -> str:
    return clustering.labelling()[module]


def homes(clustering: Clustering, modules: list[str]) -> set[str]:
    return {home(clustering, m) for m in modules}


# ---------------------------------------------------------------------------- the premise


@pytest.mark.parametrize("use_layout", [True, False], ids=["layout", "ignore-layout"])
@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_without_constraints_each_domain_is_one_service(
    shop: Analysis, algorithm: str, use_layout: bool
) -> None:
    plan, clustering = proposed(shop, algorithm, use_layout=use_layout)
    for domain in DOMAINS:
        assert homes(clustering, layers(domain)) == {domain}
    gateway = set(clustering.services[GATEWAY])
    # with the layout, the empty top-level `shop/__init__.py` joins its direct modules
    assert gateway - {"shop"} == {"shop.__main__", "shop.app"}
    assert ("shop" in gateway) == use_layout
    assert {"shop.core.config", "shop.core.db"} <= set(clustering.shared)
    assert plan.settings["algorithm"] == algorithm


# ---------------------------------------------------------------------------- pins


@pytest.mark.parametrize("use_layout", [True, False], ids=["layout", "ignore-layout"])
@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_a_pin_names_the_service_and_keeps_the_package_together(
    shop: Analysis, algorithm: str, use_layout: bool
) -> None:
    pins = Constraints(pins={"shop.payments": "billing"})
    plan, clustering = proposed(shop, algorithm, use_layout=use_layout, constraints=pins)
    assert "billing" in clustering.services
    assert "payments" not in clustering.services
    assert homes(clustering, ["shop.payments", *layers("payments")]) == {"billing"}
    assert plan.settings["constraints"]["pin"] == {"shop.payments": "billing"}


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_a_pin_on_some_modules_of_a_domain_only_renames_it(shop: Analysis, algorithm: str) -> None:
    pins = Constraints(pins={"shop.payments.api": "billing", "shop.payments.service": "billing"})
    _, clustering = proposed(shop, algorithm, constraints=pins)
    assert set(clustering.services["billing"]) == {"shop.payments", *layers("payments")}
    assert homes(clustering, layers("orders")) == {"orders"}


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_a_pin_on_a_domain_that_is_already_a_service_only_renames_it(
    shop: Analysis, algorithm: str
) -> None:
    pins = Constraints(pins={"shop.payments": "billing"})
    _, clustering = proposed(shop, algorithm, constraints=pins)
    assert homes(clustering, layers("orders")) == {"orders"}


# ---------------------------------------------------------------------------- together / apart


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_together_merges_what_the_clustering_separates(shop: Analysis, algorithm: str) -> None:
    _, free = proposed(shop, algorithm)
    assert home(free, "shop.orders.service") != home(free, "shop.shipping.service")
    together = Constraints(together=(("shop.orders", "shop.shipping"),))
    _, clustering = proposed(shop, algorithm, constraints=together)
    merged = homes(clustering, ["shop.orders", "shop.shipping", *layers("orders")])
    assert merged == homes(clustering, layers("shipping"))
    assert len(merged) == 1
    assert merged != {"(shared)"}


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_together_leaves_the_other_domains_alone(shop: Analysis, algorithm: str) -> None:
    together = Constraints(together=(("shop.orders", "shop.shipping"),))
    _, clustering = proposed(shop, algorithm, constraints=together)
    merged = home(clustering, "shop.orders.service")
    for domain in ("catalog", "customers", "payments"):
        assert merged not in homes(clustering, layers(domain)), domain


@pytest.mark.parametrize("use_layout", [True, False], ids=["layout", "ignore-layout"])
@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_apart_separates_what_the_clustering_keeps_together(
    shop: Analysis, algorithm: str, use_layout: bool
) -> None:
    first, second = "shop.orders.models", "shop.orders.service"
    _, free = proposed(shop, algorithm, use_layout=use_layout)
    assert home(free, first) == home(free, second)
    apart = Constraints(apart=((first, second),))
    _, clustering = proposed(shop, algorithm, use_layout=use_layout, constraints=apart)
    partition = clustering.partition()
    assert first in partition and second in partition  # named modules are never shared
    assert partition[first] != partition[second]


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_apart_holds_for_every_entry_of_a_group(shop: Analysis, algorithm: str) -> None:
    group = tuple(layers("orders"))
    apart = Constraints(apart=(group,))
    _, clustering = proposed(shop, algorithm, use_layout=False, constraints=apart)
    partition = clustering.partition()
    assert len({partition[m] for m in group}) == len(group), {m: partition[m] for m in group}


# ---------------------------------------------------------------------------- max_size


@pytest.mark.parametrize("max_size", [2, 3])
@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_max_size_caps_every_service(shop: Analysis, algorithm: str, max_size: int) -> None:
    _, free = proposed(shop, algorithm, use_layout=False)
    capped = Constraints(max_size=max_size)
    plan, clustering = proposed(shop, algorithm, use_layout=False, constraints=capped)
    assert max(len(modules) for modules in clustering.services.values()) <= max_size
    assert len(clustering.services) > len(free.services)
    assert set(clustering.labelling()) == set(free.labelling())
    assert plan.settings["constraints"]["max_size"] == max_size


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_max_size_caps_every_service_with_the_layout(shop: Analysis, algorithm: str) -> None:
    capped = Constraints(max_size=4)
    _, clustering = proposed(shop, algorithm, constraints=capped)
    sizes = {name: len(modules) for name, modules in clustering.services.items()}
    assert max(sizes.values()) <= 4, sizes


# ---------------------------------------------------------------------------- services=N


@pytest.mark.parametrize("use_layout", [True, False], ids=["layout", "ignore-layout"])
@pytest.mark.parametrize("count", [3, 5, 7])
@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_services_gives_exactly_that_many(
    shop: Analysis, algorithm: str, count: int, use_layout: bool
) -> None:
    plan, clustering = proposed(shop, algorithm, use_layout=use_layout, services=count)
    assert len(clustering.services) == count
    assert len(plan.services) == count
    assert plan.settings["services"] == count
    if count >= 5:  # room for the domains: the entry point forms the gateway, counted
        assert GATEWAY in clustering.services


# ---------------------------------------------------------------------------- no tie at all


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_modules_without_ties_are_shared_when_the_layout_is_ignored(
    shop_with_legacy: Analysis, algorithm: str
) -> None:
    _, clustering = proposed(shop_with_legacy, algorithm, use_layout=False)
    for module in (LEGACY, "shop.payments", "shop.orders"):  # code, and empty __init__ files
        assert module in clustering.shared
        assert clustering.reasons[module] == (NO_TIES,)


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_modules_without_ties_join_their_package_with_the_layout(
    shop_with_legacy: Analysis, algorithm: str
) -> None:
    _, clustering = proposed(shop_with_legacy, algorithm)
    assert home(clustering, LEGACY) == "payments"
    assert home(clustering, "shop.payments") == "payments"
    # no layout tie and no path words either: nothing but the package to place them by
    bare = CouplingWeights(layout=0.0, semantic=0.0)
    _, clustering = proposed(shop_with_legacy, algorithm, weights=bare)
    assert home(clustering, LEGACY) == "payments"
    assert clustering.reasons[LEGACY] == (f"{NO_TIES}: placed with its package",)
    for domain in DOMAINS:
        assert home(clustering, f"shop.{domain}") == domain


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_the_init_of_a_shared_package_is_shared_with_the_layout(
    shop: Analysis, algorithm: str
) -> None:
    _, clustering = proposed(shop, algorithm)
    assert "shop.core" in clustering.shared


# ---------------------------------------------------------------------------- stability


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_a_clean_tree_is_stable_across_seeds(shop: Analysis, algorithm: str) -> None:
    for use_layout in (True, False):
        settings = ClusterSettings(algorithm=algorithm)
        assert stability_of(shop, settings, use_layout=use_layout) == 1.0


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_stability_is_between_0_and_1(tmp_path: Path, algorithm: str) -> None:
    analysis = analyze_tree(tmp_path, oscar_like_shop(), cochange=False)
    for use_layout in (True, False):
        found = stability_of(analysis, ClusterSettings(algorithm=algorithm), use_layout=use_layout)
        assert 0.0 <= found <= 1.0


# ---------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_the_same_seed_gives_the_same_plan_yaml(tmp_path: Path, algorithm: str) -> None:
    files = {**plain_shop(), **LEGACY_FILE}
    texts = []
    for _ in range(2):
        analysis = analyze_tree(tmp_path / "tree", files, cochange=False)
        constraints = Constraints(pins={"shop.payments": "billing"}, max_size=8)
        plan, _ = proposed(analysis, algorithm, constraints=constraints, seed=7)
        texts.append(dump_plan_yaml(plan).encode())
    assert texts[0] == texts[1]


PLAN_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from analyzer.algorithms import ALGORITHMS
    from analyzer.cluster import ClusterSettings
    from analyzer.pipeline import AnalysisSettings, analyze
    from analyzer.plan import dump_plan_yaml
    from analyzer.planning import propose_plan

    root = Path(sys.argv[1])
    analysis = analyze(root, AnalysisSettings(jobs=1, cochange=False))
    for algorithm in sorted(ALGORITHMS):
        for use_layout in (True, False):
            plan, _ = propose_plan(
                analysis,
                ClusterSettings(algorithm=algorithm),
                plan_dir=root,
                use_layout=use_layout,
            )
            sys.stdout.write(dump_plan_yaml(plan))
    """
)


def test_plans_do_not_depend_on_the_string_hash_seed(tmp_path: Path) -> None:
    """Every algorithm, both modes, in two interpreters with different hash seeds."""
    root = write_tree(tmp_path / "tree", {**plain_shop(), **LEGACY_FILE})
    outputs = []
    for hash_seed in ("0", "4242"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", PLAN_SCRIPT, str(root)],
            cwd=REPO,
            env=environment,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"schema_version") == 2 * len(ALGORITHM_NAMES)
