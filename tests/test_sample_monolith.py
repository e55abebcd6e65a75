"""monocut on its own sample monolith: the clustering agrees with the architect's intent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analyzer.metrics import adjusted_rand
from analyzer.pipeline import Analysis, AnalysisSettings, analyze
from analyzer.planning import propose_plan

SAMPLE = Path(__file__).resolve().parents[1] / "sample_monolith"
MIN_ARI = 0.7


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(SAMPLE, AnalysisSettings(jobs=1))


def intended() -> dict[str, str]:
    data = yaml.safe_load((SAMPLE / "intended_decomposition.yaml").read_text())
    return {m: service for service, modules in data["services"].items() for m in modules}


def proposed_labels(analysis: Analysis, tmp_path: Path, use_layout: bool) -> dict[str, str]:
    plan, _ = propose_plan(analysis, plan_dir=tmp_path, use_layout=use_layout)
    labels = plan.partition()
    labels.update({m: "shared" for m in plan.shared.modules})
    return labels


def test_sample_is_big_and_clean(analysis: Analysis) -> None:
    assert len(analysis.facts) >= 40
    assert sum(f.code_lines for f in analysis.facts) >= 2500
    assert analysis.problems == ()
    assert set(analysis.modules) == set(intended())


def test_clustering_agrees_with_the_intended_decomposition(analysis, tmp_path) -> None:
    ari = adjusted_rand(proposed_labels(analysis, tmp_path, use_layout=True), intended())
    assert ari >= MIN_ARI


def test_code_alone_still_finds_structure(analysis, tmp_path) -> None:
    """Without the folder layout the code's own ties must still beat chance clearly."""
    ari = adjusted_rand(proposed_labels(analysis, tmp_path, use_layout=False), intended())
    assert ari >= 0.3


def test_the_legacy_scars_are_seen(analysis: Analysis) -> None:
    graph = analysis.imports.graph
    assert graph.has_edge("shop.orders.service", "shop.payments.service")
    assert graph.has_edge("shop.payments.service", "shop.orders.service")
    in_degree = dict(graph.in_degree())
    assert max(in_degree, key=in_degree.get) == "shop.core.db"
    kinds = {k for _, _, d in graph.edges(data=True) for k in d["kinds"]}
    assert kinds >= {"top_level", "function", "type_checking"}


def run_in_sample(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the sample's own code (the test harness does; monocut itself never does)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=SAMPLE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_sample_demo_runs_and_is_deterministic() -> None:
    first, second = run_in_sample("-m", "shop"), run_in_sample("-m", "shop")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.splitlines()) > 50


def test_the_sample_own_tests_pass() -> None:
    result = run_in_sample("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert result.returncode == 0, result.stdout[-2000:]
