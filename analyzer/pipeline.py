"""The one wiring point of the analysis: source tree -> Analysis (facts, graphs, requirements).

Each stage is a plain function over the previous stage's output; this module only calls them in
order and keeps their results together for the later stages (clustering, planning, reports).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from analyzer.cache import FactsCache
from analyzer.calls import CallGraph, build_call_graph
from analyzer.cochange import cochange_counts, cochange_strength, read_change_sets
from analyzer.collect import collect_facts
from analyzer.discover import discover
from analyzer.entrypoints import EntryPoint, find_entry_points
from analyzer.facts import FileProblem, ImportKind, ModuleFacts
from analyzer.imports import ImportCategory, ImportGraph, resolve_imports
from analyzer.requirements import DeclaredRequirements, read_declared_requirements
from analyzer.signals import SignalWeights, dependency_graph
from analyzer.signals.code_index import CodeIndex
from analyzer.signals.data import DataUsage, data_usage
from analyzer.signals.models import ModelCatalog, find_models
from analyzer.signals.wiring import WiringContext, WiringLink, find_wiring

Progress = Callable[[int, int], None]


class AnalysisError(ValueError):
    """The input cannot be analyzed at all (for example: no Python files under the path)."""


@dataclass(frozen=True)
class AnalysisSettings:
    """What to read and how; the parts that change results are recorded in the plan."""

    excludes: tuple[str, ...] = ()
    include_tests: bool = False
    jobs: int | None = None
    cache_dir: Path | None = None
    weights: SignalWeights = field(default_factory=SignalWeights)
    #: co-change from git history: read at most `max_commits` commits (newer than `since`,
    #: a git date), skipping commits that touch more than `max_files_per_commit` modules
    cochange: bool = True
    since: str | None = None
    max_commits: int = 1000
    max_files_per_commit: int = 30

    def recorded(self) -> dict[str, object]:
        return {
            "excludes": list(self.excludes),
            "include_tests": self.include_tests,
            "cochange": self.cochange,
            "since": self.since,
            "max_commits": self.max_commits,
            "max_files_per_commit": self.max_files_per_commit,
        }


@dataclass(frozen=True)
class CoChangeSummary:
    """Co-change strength per module pair (analyzer.cochange) and what history it came from."""

    strengths: Mapping[tuple[str, str], float] = field(default_factory=dict)
    commits_used: int = 0
    commits_skipped: int = 0
    warning: str | None = None


@dataclass(frozen=True)
class Analysis:
    """Everything known about a source tree after parsing and project-wide resolution."""

    root: Path
    package_roots: tuple[str, ...]
    facts: tuple[ModuleFacts, ...]
    problems: tuple[FileProblem, ...]
    imports: ImportGraph
    calls: CallGraph
    inheritance: Mapping[tuple[str, str], int]
    dependencies: nx.DiGraph
    requirements: DeclaredRequirements
    git_commit: str | None
    cache_hits: int = 0
    warnings: tuple[str, ...] = ()
    models: ModelCatalog = field(default_factory=ModelCatalog)
    wiring: tuple[WiringLink, ...] = ()
    data: DataUsage = field(default_factory=lambda: DataUsage(ModelCatalog()))
    cochange: CoChangeSummary = field(default_factory=CoChangeSummary)
    entry_points: tuple[EntryPoint, ...] = ()

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(f.module for f in self.facts)

    def code_lines(self) -> dict[str, int]:
        return {f.module: f.code_lines for f in self.facts}

    def third_party_imports(self) -> dict[str, frozenset[str]]:
        """Module -> third-party top-level packages it imports at run time."""
        found: dict[str, set[str]] = {}
        for item in self.imports.resolved:
            if (
                item.category is ImportCategory.THIRD_PARTY
                and item.external
                and item.fact.kind is not ImportKind.TYPE_CHECKING
            ):
                found.setdefault(item.importer, set()).add(item.external)
        return {m: frozenset(names) for m, names in sorted(found.items())}


def read_git_commit(root: Path) -> str | None:
    """The commit checked out at `root`, read with git (never written); None outside git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "-q", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and len(commit) == 40 else None


def analyze(
    root: Path, settings: AnalysisSettings = AnalysisSettings(), progress: Progress | None = None
) -> Analysis:
    """Discover, parse (in parallel, cached) and resolve a source tree."""
    discovery = discover(root, excludes=settings.excludes, include_tests=settings.include_tests)
    if not discovery.files:
        raise AnalysisError(f"no Python files found under {root}")
    cache = FactsCache(settings.cache_dir) if settings.cache_dir else None
    collected = collect_facts(discovery.files, jobs=settings.jobs, cache=cache, progress=progress)
    warnings: tuple[str, ...] = ()
    if cache is not None:
        warnings = (f"facts cache disabled: {cache.warning}",) if cache.warning else ()
        cache.close()
    if not collected.facts:
        raise AnalysisError(f"none of the {len(discovery.files)} Python files under {root} parse")
    imports = resolve_imports(collected.facts)
    calls, inheritance = build_call_graph(imports)
    code = CodeIndex(imports, calls.classes)
    models = find_models(code)
    wiring = find_wiring(WiringContext(code, models))
    usage = data_usage(
        code, models, imports, calls, wiring, {f.module: f.sql_tables for f in collected.facts}
    )
    wiring_counts = Counter((link.source, link.target_module) for link in wiring)
    dependencies = dependency_graph(
        (f.module for f in collected.facts),
        imports.graph,
        calls.module_call_counts(),
        inheritance,
        settings.weights,
        wiring_counts,
    )
    cochange = (
        read_cochange(discovery.root, collected.facts, settings)
        if settings.cochange
        else CoChangeSummary()
    )
    problems = tuple(sorted((*discovery.problems, *collected.problems), key=lambda p: p.relpath))
    return Analysis(
        root=discovery.root,
        package_roots=discovery.package_roots,
        facts=collected.facts,
        problems=problems,
        imports=imports,
        calls=calls,
        inheritance=inheritance,
        dependencies=dependencies,
        requirements=read_declared_requirements(discovery.root),
        git_commit=read_git_commit(discovery.root),
        cache_hits=collected.cache_hits,
        warnings=warnings,
        models=models,
        wiring=wiring,
        data=usage,
        cochange=cochange,
        entry_points=find_entry_points(code),
    )


def read_cochange(
    root: Path, facts: tuple[ModuleFacts, ...], settings: AnalysisSettings
) -> CoChangeSummary:
    """Co-change strengths from the git history above `root` (read-only; empty outside git)."""
    history = read_change_sets(root, since=settings.since, max_commits=settings.max_commits)
    counts = cochange_counts(
        history,
        {f.relpath: f.module for f in facts},
        max_files_per_commit=settings.max_files_per_commit,
    )
    return CoChangeSummary(
        cochange_strength(counts),
        counts.commits_used,
        counts.commits_skipped,
        history.warning,
    )
