"""What monocut prints on a terminal: progress while it works, summaries when it is done."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from analyzer.compiled_solver import solver_description
from analyzer.pipeline import Analysis, StageTimer
from analyzer.plan import DecompositionPlan
from generators.report import CallSites, percent
from monocut.summary import call_sites, import_cycles


def console(quiet: bool = False, record: bool = False) -> Console:
    """Standard output; with `record`, the text is kept (for --output) instead of printed."""
    if record:
        return Console(record=True, file=io.StringIO(), highlight=False, width=100)
    return Console(quiet=quiet, highlight=False, soft_wrap=True)


class FilesPerSecond(ProgressColumn):
    """How many files a second are done (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} files/s", style="progress.data.speed")


def progress_wanted(quiet: bool) -> bool:
    """A progress bar only on a terminal: not with --quiet, not when stderr is a pipe or a
    file, not in CI (`CI` set, as every CI service does) and not on a dumb terminal."""
    if quiet or not sys.stderr.isatty():
        return False
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        return False
    return os.environ.get("TERM") != "dumb"


@contextmanager
def parse_progress(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing in CI or with --quiet."""
    if not progress_wanted(quiet):
        yield None
        return
    bar = Progress(
        TextColumn("parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        FilesPerSecond(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("parse", total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)


def print_analysis(out: Console, analysis: Analysis, verbose: bool = False) -> None:
    graph = analysis.imports.graph
    lines = sum(f.code_lines for f in analysis.facts)
    out.print(
        f"{len(analysis.facts)} modules, {lines} lines of code, "
        f"{graph.number_of_edges()} internal import edges"
    )
    out.print(call_sites_line(call_sites(analysis)), markup=False, soft_wrap=True)
    fan_in = sorted(graph.in_degree(), key=lambda item: (-item[1], item[0]))[:5]
    if fan_in and fan_in[0][1]:
        out.print("most imported: " + ", ".join(f"{m} ({n})" for m, n in fan_in if n))
    cycles = import_cycles(graph)
    if cycles:
        out.print(f"import cycles: {len(cycles)} groups of modules importing each other")
        for cycle in cycles if verbose else cycles[:3]:
            out.print("  " + " <-> ".join(cycle))
    third_party = sorted(
        {name for names in analysis.third_party_imports().values() for name in names}
    )
    if third_party:
        _, undeclared = analysis.requirements.resolve(third_party)
        note = f" (no declared requirement: {', '.join(undeclared)})" if undeclared else ""
        out.print(f"third-party imports: {', '.join(third_party)}{note}")
    print_partial(out, analysis, verbose)
    print_problems(out, analysis, verbose)


def print_partial(out: Console, analysis: Analysis, verbose: bool = False) -> None:
    """The Python 2 files read for their imports and definitions only."""
    partial = analysis.partial
    if not partial:
        return
    out.print(f"{len(partial)} files analyzed in part (imports and definitions, no calls):")
    shown = partial if verbose else partial[:10]
    for relpath, reason in shown:
        out.print(f"  {relpath}: {reason}", markup=False, soft_wrap=True)
    if len(shown) < len(partial):
        out.print(f"  ... and {len(partial) - len(shown)} more (--verbose lists all)")


class Stopwatch:
    """Stage timings for --verbose: the analysis' own (Analysis.timings) plus the stages the
    command runs after it (clustering, writing), timed by the same StageTimer. Printed on
    stderr, so that what a command writes to stdout or a file stays byte-identical."""

    def __init__(self, timings: Sequence[tuple[str, float]] = ()) -> None:
        self._timer = StageTimer(timings)
        self.stage = self._timer.stage

    @property
    def timings(self) -> tuple[tuple[str, float], ...]:
        return self._timer.timings()

    def print(self, verbose: bool, out: Console | None = None) -> None:
        """The timings, and which call-graph solver ran if one did."""
        if verbose:
            out = out or Console(stderr=True, highlight=False, soft_wrap=True)
            print_timings(out, self.timings)
            if any(stage == "call graph" for stage, _ in self.timings):
                out.print(solver_description(), markup=False, soft_wrap=True)


def timing_lines(timings: Sequence[tuple[str, float]]) -> list[str]:
    """`stage timings (wall seconds):` then one `  stage  1.23` line per stage and the total."""
    if not timings:
        return []
    width = max(len(stage) for stage, _ in timings)
    lines = ["stage timings (wall seconds):"]
    lines += [f"  {stage:<{width}} {seconds:8.2f}" for stage, seconds in timings]
    lines.append(f"  {'total':<{width}} {sum(s for _, s in timings):8.2f}")
    return lines


def print_timings(out: Console, timings: Sequence[tuple[str, float]]) -> None:
    """Wall time per stage (--verbose)."""
    for line in timing_lines(timings):
        out.print(line, markup=False, soft_wrap=True)


def dot_id(name: str) -> str:
    """A quoted Graphviz ID: only `"` and `\\` need escaping; other text is kept as is."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def call_sites_line(sites: CallSites) -> str:
    """How many call sites resolved to the project's code, only to outside code, or to
    nothing known."""
    return (
        f"call sites: {sites.total}: "
        f"{sites.internal} ({percent(sites.internal, sites.total)}) resolved to internal code, "
        f"{sites.external} ({percent(sites.external, sites.total)}) only to builtins or "
        f"external code, "
        f"{sites.unresolved} ({percent(sites.unresolved, sites.total)}) unknown"
    )


def print_problems(out: Console, analysis: Analysis, verbose: bool = False) -> None:
    if not analysis.problems:
        return
    out.print(f"{len(analysis.problems)} files could not be analyzed:")
    shown = analysis.problems if verbose else analysis.problems[:10]
    for problem in shown:
        out.print(f"  {problem.relpath}: {problem.reason}")
    if len(shown) < len(analysis.problems):
        out.print(f"  ... and {len(analysis.problems) - len(shown)} more (--verbose lists all)")


MAX_WARNINGS = 5


def print_warnings(out: Console, warnings: Sequence[str], verbose: bool = False) -> None:
    """Warnings, the first few only unless verbose, so a big project's output stays readable."""
    shown = warnings if verbose else warnings[:MAX_WARNINGS]
    for warning in shown:
        out.print(f"warning: {warning}")
    if len(shown) < len(warnings):
        out.print(f"... and {len(warnings) - len(shown)} more warnings (--verbose lists all)")


def print_plan(out: Console, plan: DecompositionPlan) -> None:
    """The table of services and the plan's metrics."""
    table = Table(title=f"{len(plan.services)} services, {len(plan.shared.modules)} shared modules")
    for column in ("service", "modules", "lines", "cohesion", "coupling", "depends on"):
        table.add_column(column, justify="left" if column in ("service", "depends on") else "right")
    for service in plan.services:
        table.add_row(
            service.name,
            str(len(service.modules)),
            str(service.lines),
            _number(service.metrics.get("cohesion")),
            _number(service.metrics.get("coupling")),
            ", ".join(service.depends_on) or "-",
        )
    out.print(table)
    print_metrics(out, plan.metrics)
    skipped = [item for item in plan.unparseable if not item.partial]
    partial = [item for item in plan.unparseable if item.partial]
    for items, title in (
        (partial, "analyzed in part (imports and definitions, no calls)"),
        (skipped, "could not be analyzed"),
    ):
        if items:
            out.print(f"{len(items)} files {title}:")
            for item in items[:10]:
                out.print(f"  {item.path}: {item.reason}", markup=False, soft_wrap=True)


def print_metrics(out: Console, metrics: Mapping[str, float]) -> None:
    table = Table(title="metrics")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in metrics.items():
        table.add_row(name, _number(value))
    out.print(table)


def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.4f}"
