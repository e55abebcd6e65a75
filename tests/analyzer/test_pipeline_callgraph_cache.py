"""The call graph cache: reused while the code is unchanged, recomputed when anything changes,
and never a reason to fail."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import analyzer.pipeline as pipeline
from analyzer.pipeline import (
    AnalysisSettings,
    CallGraphCache,
    CodeSignals,
    analyze,
    callgraph_key,
)
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
}


def settings(cache: Path) -> AnalysisSettings:
    return AnalysisSettings(jobs=1, cache_dir=cache, cochange=False)


def no_solving(*_args: object) -> None:
    raise AssertionError("the call graph and signals should have come from the cache")


def test_a_warm_run_reuses_the_call_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "src", TREE)
    cold = analyze(root, settings(tmp_path / "cache"))
    assert list((tmp_path / "cache" / "callgraphs").glob("*.pickle"))
    monkeypatch.setattr(pipeline, "build_call_graph", no_solving)
    monkeypatch.setattr(pipeline, "code_signals", no_solving)
    warm = analyze(root, settings(tmp_path / "cache"))
    assert warm.calls == cold.calls
    assert warm.inheritance == cold.inheritance
    assert warm.models == cold.models
    assert warm.wiring == cold.wiring
    assert warm.data == cold.data
    assert warm.entry_points == cold.entry_points
    assert sorted(warm.dependencies.edges(data=True)) == sorted(cold.dependencies.edges(data=True))


def test_a_changed_file_recomputes_the_call_graph(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    analyze(root, settings(tmp_path / "cache"))
    write_tree(root, {"app/views.py": "def show():\n    return 1\n"})
    changed = analyze(root, settings(tmp_path / "cache"))
    fresh = analyze(root, AnalysisSettings(jobs=1, cochange=False))
    assert changed.calls == fresh.calls
    assert not any(call.callee == "app.models.Order.total" for call in changed.calls.calls)


def test_a_damaged_cache_file_is_a_miss(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    cold = analyze(root, settings(tmp_path / "cache"))
    (cached,) = (tmp_path / "cache" / "callgraphs").glob("*.pickle")
    cached.write_bytes(b"not a pickle")
    again = analyze(root, settings(tmp_path / "cache"))
    assert again.calls == cold.calls
    cached.write_bytes(pickle.dumps(("another key", "not a call graph", {}, None)))
    assert analyze(root, settings(tmp_path / "cache")).calls == cold.calls


def test_the_key_follows_every_module_and_the_analyzer_code(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "src", TREE)
    facts = analyze(root, AnalysisSettings(jobs=1, cochange=False)).facts
    key = callgraph_key(facts)
    assert key == callgraph_key(facts)
    assert key != callgraph_key(facts[:-1])
    pipeline.analyzer_fingerprint.cache_clear()
    assert callgraph_key(facts) == key


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = CallGraphCache(blocker, tmp_path)  # its "directory" is a file
    root = write_tree(tmp_path / "src", TREE)
    analysis = analyze(root, AnalysisSettings(jobs=1, cochange=False))
    signals = CodeSignals(analysis.models, analysis.wiring, analysis.data, analysis.entry_points)
    cache.store("key", analysis.calls, dict(analysis.inheritance), signals)
    assert cache.load("key") is None
