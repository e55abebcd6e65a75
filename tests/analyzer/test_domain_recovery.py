"""Domain recovery, a small version of benchmarks/domain_quality.py on a synthetic monolith.

The tree (tests/domain_trees.py) is a django-oscar-like shop of five apps whose views, forms,
services and admin reach their models and classes through a loader (`get_model`, `get_class`),
so the import graph shows only the layer hubs every app shares. Clustering on the code alone
(`--ignore-layout`, `use_layout=False`) must still find the apps: scored like the benchmark,
against the apps, on the app modules, with the shared library counted as one cluster.

Measured when these tests were written (seed 42, no co-change): ignore-layout ARI 0.713 and
MoJoFM 80.0 with spectral, Louvain and agglomerative, ARI 0.703 with Bunch (0.713 on the renamed
tree); default mode (layout used) ARI 0.965 with spectral; Louvain on the bare import graph
ARI -0.071, MoJoFM 6.7. The sample monolith with --ignore-layout and the default algorithm:
ARI 0.778, MoJoFM 89.2. The thresholds below sit a little under these.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import yaml

from analyzer.algorithms import ALGORITHMS
from analyzer.cluster import Clustering, ClusterSettings, louvain_labels
from analyzer.partition_quality import PartitionAgreement, compare_partitions
from analyzer.pipeline import Analysis, AnalysisSettings, analyze
from analyzer.planning import propose_plan
from tests.domain_trees import APP_KEYS, PROJECT, app_truth, oscar_like_shop
from tests.trees import analyze_tree

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"
ALGORITHM_NAMES = sorted(ALGORITHMS)
MIN_ARI = 0.65
MIN_MOJOFM = 75.0
MIN_ARI_OVER_BASELINE = 0.5
MIN_MOJOFM_OVER_BASELINE = 50.0
MIN_LAYOUT_ARI = 0.9
MIN_SAMPLE_ARI = 0.7
#: Every app renamed, so that the sorted order of the apps changes too.
RENAMED = {
    "catalogue": "products",
    "basket": "cart",
    "order": "sales",
    "payment": "billing",
    "shipping": "delivery",
}
#: Algorithms whose result does not depend on the order of the module names; Louvain and Bunch
#: are seeded local searches that visit modules in name order, so a renaming may move a module.
ORDER_FREE = ("agglomerative", "spectral")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("oscar_like"), oscar_like_shop(), cochange=False)


@pytest.fixture(scope="module")
def renamed_shop(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    root = tmp_path_factory.mktemp("oscar_like_renamed")
    return analyze_tree(root, oscar_like_shop(RENAMED), cochange=False)


def clustered(
    analysis: Analysis, algorithm: str, use_layout: bool = False, seed: int = 42
) -> Clustering:
    settings = ClusterSettings(algorithm=algorithm, seed=seed)
    _, clustering = propose_plan(
        analysis, settings, plan_dir=analysis.root.parent, use_layout=use_layout
    )
    return clustering


def agreement(clustering: Clustering, truth: dict[str, str]) -> PartitionAgreement:
    """Scores on the app modules; the shared library is one cluster (`labelling`)."""
    return compare_partitions(clustering.labelling(), truth)


def import_graph_baseline(analysis: Analysis) -> dict[str, str]:
    """Louvain on the bare, undirected import graph (the benchmark's baseline)."""
    graph = nx.Graph(analysis.imports.graph.to_undirected())
    labels = louvain_labels(graph, ClusterSettings())
    return {module: f"louvain-{label}" for module, label in labels.items()}


def test_the_loader_hides_every_app_from_the_import_graph(shop: Analysis) -> None:
    """The premise: no app module imports another module of its app, so the import graph
    alone cannot recover the apps."""
    truth = app_truth()
    assert set(truth) <= set(shop.modules)
    inside = [
        (a, b) for a, b in shop.imports.graph.edges if a in truth and truth[a] == truth.get(b)
    ]
    assert inside == []
    baseline = compare_partitions(import_graph_baseline(shop), truth)
    assert baseline.ari < 0.1


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_the_code_alone_recovers_the_apps(shop: Analysis, algorithm: str) -> None:
    found = agreement(clustered(shop, algorithm), app_truth())
    assert found.ari >= MIN_ARI, found
    assert found.mojofm >= MIN_MOJOFM, found


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_it_beats_louvain_on_the_import_graph_clearly(shop: Analysis, algorithm: str) -> None:
    truth = app_truth()
    found = agreement(clustered(shop, algorithm), truth)
    baseline = compare_partitions(import_graph_baseline(shop), truth)
    assert found.ari >= baseline.ari + MIN_ARI_OVER_BASELINE, (found, baseline)
    assert found.mojofm >= baseline.mojofm + MIN_MOJOFM_OVER_BASELINE, (found, baseline)


def test_each_app_is_the_core_of_one_service(shop: Analysis) -> None:
    """Beyond the scores: every app's views, forms, services, admin and URLs share one
    service, and no two apps share a service."""
    labels = clustered(shop, "spectral").labelling()
    homes = {}
    for key in APP_KEYS:
        found = {labels[f"{PROJECT}.{key}.{m}"] for m in ("views", "forms", "services", "urls")}
        assert len(found) == 1, (key, found)
        homes[key] = found.pop()
    assert "(shared)" not in homes.values()
    assert len(set(homes.values())) == len(APP_KEYS)


def test_the_layout_only_helps(shop: Analysis) -> None:
    found = agreement(clustered(shop, "spectral", use_layout=True), app_truth())
    assert found.ari >= MIN_LAYOUT_ARI, found


def back_to_original(module: str) -> str:
    for key, new in RENAMED.items():
        prefix = f"{PROJECT}.{new}"
        if module == prefix or module.startswith(prefix + "."):
            return f"{PROJECT}.{key}" + module[len(prefix) :]
    return module


def groups(labelling: dict[str, str]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for module, label in labelling.items():
        found.setdefault(label, set()).add(module)
    return {frozenset(members) for members in found.values()}


@pytest.mark.parametrize("algorithm", ORDER_FREE)
def test_renaming_the_apps_gives_the_same_partition(
    shop: Analysis, renamed_shop: Analysis, algorithm: str
) -> None:
    original = clustered(shop, algorithm)
    renamed = clustered(renamed_shop, algorithm)
    mapped = {back_to_original(m): label for m, label in renamed.labelling().items()}
    assert set(mapped) == set(original.labelling())
    assert groups(mapped) == groups(original.labelling())
    assert {back_to_original(m) for m in renamed.shared} == set(original.shared)


@pytest.mark.parametrize("algorithm", ALGORITHM_NAMES)
def test_renaming_the_apps_keeps_the_recovery(renamed_shop: Analysis, algorithm: str) -> None:
    found = agreement(clustered(renamed_shop, algorithm), app_truth(RENAMED))
    assert found.ari >= MIN_ARI, found
    assert found.mojofm >= MIN_MOJOFM, found


def test_the_sample_monolith_without_its_layout() -> None:
    analysis = analyze(SAMPLE, AnalysisSettings(jobs=1, cochange=False))
    intended = yaml.safe_load((SAMPLE / "intended_decomposition.yaml").read_text())
    truth = {m: service for service, modules in intended["services"].items() for m in modules}
    plan, clustering = propose_plan(analysis, ClusterSettings(), plan_dir=SAMPLE, use_layout=False)
    assert plan.settings["algorithm"] == ClusterSettings().algorithm
    found = compare_partitions(clustering.labelling(), truth)
    assert found.ari >= MIN_SAMPLE_ARI, found
