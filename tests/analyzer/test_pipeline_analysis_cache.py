"""The analysis cache: the whole result reused while code and settings are unchanged, the call
graph and code signals reused while only the settings changed, recomputed when anything in the
code changes, and never a reason to fail."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import analyzer.pipeline as pipeline
from analyzer.pipeline import (
    AnalysisCache,
    AnalysisSettings,
    CachedAnalysis,
    analyze,
    callgraph_key,
)
from analyzer.signals import SignalWeights
from tests.trees import write_tree

TREE = {
    "app/__init__.py": "",
    "app/models.py": """
        class Order:
            def total(self):
                return 1
        """,
    "app/views.py": """
        from app.models import Order

        def show():
            return Order().total()
        """,
    "requirements.txt": "requests==2.32.0\n",
}


def settings(cache: Path, **changes: object) -> AnalysisSettings:
    return AnalysisSettings(jobs=1, cache_dir=cache, cochange=False, **changes)  # type: ignore[arg-type]


def must_not_run(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("this stage should have come from the cache")


def cache_file(cache: Path) -> Path:
    (found,) = (cache / "analyses").glob("*.pickle")
    return found


def test_a_warm_run_is_the_cached_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "src", TREE)
    cold = analyze(root, settings(tmp_path / "cache"))
    assert cache_file(tmp_path / "cache").is_file()
    for stage in ("collect_read_facts", "resolve_imports", "build_call_graph", "code_signals"):
        monkeypatch.setattr(pipeline, stage, must_not_run)
    warm = analyze(root, settings(tmp_path / "cache"))
    assert warm.facts == cold.facts
    assert warm.problems == cold.problems
    assert warm.imports.resolved == cold.imports.resolved
    assert list(warm.imports.graph.edges(data=True)) == list(cold.imports.graph.edges(data=True))
    assert warm.calls == cold.calls
    assert warm.calls.calls == cold.calls.calls
    assert warm.inheritance == cold.inheritance
    assert (warm.models, warm.wiring, warm.data) == (cold.models, cold.wiring, cold.data)
    assert warm.entry_points == cold.entry_points
    assert sorted(warm.dependencies.edges(data=True)) == sorted(cold.dependencies.edges(data=True))
    assert warm.requirements == cold.requirements
    assert cold.cache_hits == 0
    assert warm.cache_hits == len(cold.facts)
    assert "parse" not in dict(warm.timings)


def test_an_analysis_keeps_no_flow_facts(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    analysis = analyze(root, AnalysisSettings(jobs=1, cochange=False))
    assert all(f.flow is None for f in analysis.facts)
    assert all(f.flow is None for f in analysis.imports.index.facts.values())
    assert ("app.views", "app.models") in analysis.calls.module_call_counts()


def test_new_weights_reuse_the_call_graph_but_not_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "src", TREE)
    heavier = settings(tmp_path / "cache", weights=SignalWeights(call=7.0))
    fresh = analyze(root, AnalysisSettings(jobs=1, cochange=False, weights=heavier.weights))
    cold = analyze(root, settings(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "build_call_graph", must_not_run)
    monkeypatch.setattr(pipeline, "code_signals", must_not_run)
    reweighted = analyze(root, heavier)
    assert reweighted.calls == cold.calls
    assert reweighted.models == cold.models
    edges = sorted(reweighted.dependencies.edges(data=True))
    assert edges == sorted(fresh.dependencies.edges(data=True))
    assert edges != sorted(cold.dependencies.edges(data=True))


def test_a_changed_file_recomputes_everything(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    analyze(root, settings(tmp_path / "cache"))
    write_tree(root, {"app/views.py": "def show():\n    return 1\n"})
    changed = analyze(root, settings(tmp_path / "cache"))
    fresh = analyze(root, AnalysisSettings(jobs=1, cochange=False))
    assert changed.calls == fresh.calls
    assert changed.facts == fresh.facts
    assert not any(call.callee == "app.models.Order.total" for call in changed.calls.calls)
    assert changed.cache_hits == len(fresh.facts) - 1  # the facts cache still had the others


def test_changed_requirements_are_read_again(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    analyze(root, settings(tmp_path / "cache"))
    write_tree(root, {"requirements.txt": "requests==2.32.0\nattrs\n"})
    warm = analyze(root, settings(tmp_path / "cache"))
    assert warm.cache_hits == len(warm.facts)  # the cached result itself
    assert warm.requirements == analyze(root, AnalysisSettings(jobs=1, cochange=False)).requirements


@pytest.mark.parametrize(
    "damage",
    [
        b"not a pickle",
        pickle.dumps(("another key", "not an analysis")),
        pickle.dumps(CachedAnalysis("another key", "another key")),
        b"",
    ],
)
def test_a_damaged_cache_file_is_a_miss(tmp_path: Path, damage: bytes) -> None:
    root = write_tree(tmp_path / "src", TREE)
    cold = analyze(root, settings(tmp_path / "cache"))
    cache_file(tmp_path / "cache").write_bytes(damage)
    again = analyze(root, settings(tmp_path / "cache"))
    assert again.calls == cold.calls
    assert again.facts == cold.facts


def test_keys_that_match_a_truncated_analysis_are_a_miss(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    cold = analyze(root, settings(tmp_path / "cache"))
    stored = cache_file(tmp_path / "cache")
    keys = AnalysisCache(tmp_path / "cache", root).load_keys()
    assert keys is not None
    stored.write_bytes(pickle.dumps(keys) + stored.read_bytes()[len(pickle.dumps(keys)) :][:50])
    assert analyze(root, settings(tmp_path / "cache")).calls == cold.calls


def test_the_key_follows_every_module_and_the_analyzer_code(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    facts = analyze(root, AnalysisSettings(jobs=1, cochange=False)).facts
    key = callgraph_key(facts)
    assert key == callgraph_key(facts)
    assert key != callgraph_key(facts[:-1])
    pipeline.analyzer_fingerprint.cache_clear()
    assert callgraph_key(facts) == key


def test_settings_that_change_results_are_in_the_key() -> None:
    base = AnalysisSettings()
    assert base.result_key() == AnalysisSettings(jobs=7, cache_dir=Path("/x")).result_key()
    for changed in (
        AnalysisSettings(excludes=("x",)),
        AnalysisSettings(include_tests=True),
        AnalysisSettings(weights=SignalWeights(call=2.0)),
        AnalysisSettings(cochange=False),
        AnalysisSettings(since="1 year ago"),
        AnalysisSettings(max_commits=5),
        AnalysisSettings(max_files_per_commit=5),
        AnalysisSettings(file_limits=pipeline.FileLimits(max_bytes=10)),
    ):
        assert changed.result_key() != base.result_key()


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    root = write_tree(tmp_path / "src", TREE)
    cache = AnalysisCache(blocker, root)  # its "directory" is a file
    analysis = analyze(root, AnalysisSettings(jobs=1, cochange=False))
    cache.store(CachedAnalysis("key", "key"), analysis)
    assert cache.load_keys() is None
    assert analyze(root, settings(blocker)).calls == analysis.calls


def test_only_the_most_recent_analyses_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "KEEP_CACHED_ANALYSES", 2)
    roots = [write_tree(tmp_path / f"src{number}", TREE) for number in range(4)]
    for root in roots:
        analyze(root, settings(tmp_path / "cache"))
    kept = sorted((tmp_path / "cache" / "analyses").glob("*.pickle"))
    assert len(kept) == 2
    assert {AnalysisCache(tmp_path / "cache", root).path for root in roots[-2:]} == set(kept)
