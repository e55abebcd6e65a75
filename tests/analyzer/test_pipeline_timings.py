"""Stage timings: recorded as plain data in the Analysis, shown by --verbose on stderr only."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest
from rich.console import Console

from analyzer import compiled_solver
from analyzer.pipeline import StageTimer, cyclic_gc_paused, cyclic_gc_running
from monocut.cli import main
from monocut.output import Stopwatch, timing_lines
from tests.trees import analyze_tree

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

STAGES = (
    "discover",
    "read",
    "parse",
    "resolve imports",
    "call graph",
    "signals",
    "co-change",
    "requirements",
)


def test_analysis_records_each_stage_in_order(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    assert tuple(stage for stage, _ in analysis.timings) == STAGES
    assert all(isinstance(seconds, float) and seconds >= 0 for _, seconds in analysis.timings)


def test_timings_do_not_take_part_in_equality(tmp_path: Path) -> None:
    first = analyze_tree(tmp_path / "a", TREE)
    second = analyze_tree(tmp_path / "b", TREE)
    assert first.timings != () and second.timings != ()
    assert first.calls == second.calls
    assert first.imports.graph.edges == second.imports.graph.edges


def test_stage_timer_adds_up_a_stage_entered_twice() -> None:
    timer = StageTimer()
    with timer.stage("a"):
        pass
    with timer.stage("b"):
        pass
    with timer.stage("a"):
        pass
    assert [stage for stage, _ in timer.timings()] == ["a", "b"]


def test_the_collector_is_paused_during_analysis_and_restored() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError
    assert gc.isenabled()


def test_the_collector_runs_while_parsing_in_this_process() -> None:
    with cyclic_gc_paused():
        with cyclic_gc_running(True):
            assert gc.isenabled()
        assert not gc.isenabled()
        with cyclic_gc_running(False):
            assert not gc.isenabled()
    assert gc.isenabled()


def test_timing_lines_list_every_stage_and_the_total() -> None:
    lines = timing_lines([("parse", 1.5), ("call graph", 0.25)])
    assert lines[0] == "stage timings (wall seconds):"
    assert lines[1].split() == ["parse", "1.50"]
    assert lines[2].split() == ["call", "graph", "0.25"]
    assert lines[3].split() == ["total", "1.75"]
    assert timing_lines([]) == []


def test_stopwatch_appends_later_stages() -> None:
    watch = Stopwatch([("parse", 1.0)])
    with watch.stage("clustering"):
        pass
    assert [stage for stage, _ in watch.timings] == ["parse", "clustering"]


def test_verbose_prints_timings_on_stderr_and_leaves_stdout_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    analyze_tree(tmp_path, TREE)
    args = ["analyze", str(tmp_path), "--no-cache", "--no-cochange"]
    assert main([*args, "--verbose"]) == 0
    verbose = capsys.readouterr()
    assert "stage timings (wall seconds):" in verbose.err
    for stage in (*STAGES, "coupling signals", "total"):
        assert f"  {stage} " in verbose.err
    assert "stage timings" not in verbose.out
    assert main(args) == 0
    quiet = capsys.readouterr()
    assert "stage timings" not in quiet.err + quiet.out


@pytest.mark.parametrize(
    ("built", "shown"),
    [(True, "call-graph solver: compiled (Cython)"), (False, "call-graph solver: Python")],
)
def test_verbose_says_which_call_graph_solver_ran(
    monkeypatch: pytest.MonkeyPatch, built: bool, shown: str
) -> None:
    module = object() if built else None
    monkeypatch.setattr(compiled_solver, "compiled_solver_module", lambda: module)
    out = Console(file=io.StringIO(), width=200)
    Stopwatch([("parse", 1.0), ("call graph", 0.5)]).print(True, out)
    assert out.file.getvalue().splitlines()[-1].startswith(shown)
    quiet = Console(file=io.StringIO(), width=200)
    Stopwatch([("discover", 0.1), ("cached analysis", 0.2)]).print(True, quiet)
    assert "solver" not in quiet.file.getvalue()  # a warm run solves nothing
