"""The one wiring point of the analysis: source tree -> Analysis (facts, graphs, requirements).

Each stage is a plain function over the previous stage's output; this module only calls them in
order and keeps their results together for the later stages (clustering, planning, reports).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import os
import pickle
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from analyzer.cache import FactsCache
from analyzer.calls import CallGraph, build_call_graph
from analyzer.cochange import cochange_counts, cochange_strength, read_change_sets
from analyzer.collect import FileLimits, ReadSources, collect_read_facts, default_jobs, read_sources
from analyzer.discover import Discovery, discover
from analyzer.entrypoints import EntryPoint, find_entry_points
from analyzer.facts import PARTIAL_ANALYSIS, FileProblem, ImportKind, ModuleFacts
from analyzer.imports import ImportCategory, ImportGraph, ModuleIndex, resolve_imports
from analyzer.requirements import DeclaredRequirements, read_declared_requirements
from analyzer.signals import SignalWeights, dependency_graph
from analyzer.signals.code_index import CodeIndex
from analyzer.signals.data import DataUsage, data_usage
from analyzer.signals.models import ModelCatalog, find_models
from analyzer.signals.wiring import (
    WiringContext,
    WiringLink,
    find_wiring,
    registered_recognizers,
)

Progress = Callable[[int, int], None]

log = logging.getLogger(__name__)

#: Bump when a cached call graph or analysis file must not be read by a newer monocut even
#: though the analyzer's source is unchanged (the source fingerprint covers every other change).
CALLGRAPH_CACHE_VERSION = 3

#: Cached analyses kept (one per root, the most recently written); older ones are deleted.
KEEP_CACHED_ANALYSES = 16

#: Objects allocated during an analysis above which its end freezes them (`gc.freeze`)
#: instead of letting the collector walk them (see `cyclic_gc_paused`).
FREEZE_AFTER_OBJECTS = 500_000


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
    #: files skipped before parsing: too large, or generated code (analyzer.collect)
    file_limits: FileLimits = field(default_factory=FileLimits)

    def result_key(self) -> str:
        """Every setting that changes an Analysis (not `jobs` or `cache_dir`), as text."""
        return repr(
            (
                self.excludes,
                self.include_tests,
                self.weights,
                self.cochange,
                self.since,
                self.max_commits,
                self.max_files_per_commit,
                self.file_limits,
            )
        )

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
    """Everything known about a source tree after parsing and project-wide resolution.

    Its ModuleFacts carry no data-flow facts (`ModuleFacts.flow` is None): those are the input
    of the call graph and the code signals, which are built inside `analyze`, and dropping
    them then halves the facts' memory for the later stages.
    """

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
    #: (stage, wall seconds) in the order the stages ran; for --verbose and benchmarks only.
    #: Never written into plans or reports (it differs between runs), so not compared.
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(f.module for f in self.facts)

    @property
    def partial(self) -> tuple[tuple[str, str], ...]:
        """(relpath, reason) of each module analyzed in part (Python 2: imports and
        definitions only, see analyzer.legacy_parse), by path."""
        return tuple(sorted((f.relpath, f.degraded) for f in self.facts if f.degraded))

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


class StageTimer:
    """Wall time per named stage, in the order the stages ran (plain data for Analysis)."""

    def __init__(self, timings: Iterable[tuple[str, float]] = ()) -> None:
        self._times: dict[str, float] = dict(timings)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block; a stage entered twice adds up."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self._times[name] = self._times.get(name, 0.0) + time.perf_counter() - start

    def timings(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._times.items())


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (reference counting still frees everything).

    The analysis builds millions of small tuples, sets and dataclasses (facts, points-to
    values, graph views) that form no reference cycles; every full collection walks all of
    them again, and on an 800,000-line tree those walks took a third of the time after
    parsing. When the block allocated more than FREEZE_AFTER_OBJECTS objects, the survivors
    (the analysis the caller keeps) are then frozen (`gc.freeze`): the collector never walks
    them again, where it used to spend 1-3.7 s on its first collections after a run on sympy
    (740,000 lines). Frozen objects are still freed by reference counting; only reference
    cycles among them would never be collected, and the analysis's data makes none.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > FREEZE_AFTER_OBJECTS:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def cyclic_gc_running(on: bool) -> Iterator[None]:
    """With `on`, let the cyclic collector run during the block, paused again after it.
    Parsing in this process (one job) makes reference cycles in the syntax trees and the
    parse pass (about 440 unreachable objects a file on Django) that must not pile up until
    the end of the analysis; parsing in worker processes leaves them there."""
    if not on:
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def analyze(
    root: Path, settings: AnalysisSettings = AnalysisSettings(), progress: Progress | None = None
) -> Analysis:
    """Discover, parse (in parallel, cached) and resolve a source tree."""
    timer = StageTimer()
    jobs = settings.jobs if settings.jobs is not None else default_jobs()
    collect_while_parsing = gc.isenabled() and jobs <= 1
    with cyclic_gc_paused():
        return _analyze(root, settings, progress, timer, collect_while_parsing)


def _analyze(
    root: Path,
    settings: AnalysisSettings,
    progress: Progress | None,
    timer: StageTimer,
    collect_while_parsing: bool,
) -> Analysis:
    with timer.stage("discover"):
        discovery = discover(root, excludes=settings.excludes, include_tests=settings.include_tests)
    if not discovery.files:
        raise AnalysisError(f"no Python files found under {root}")
    with timer.stage("read"):
        read = read_sources(discovery.files, settings.file_limits)
        git_commit = read_git_commit(discovery.root)
    snapshots = AnalysisCache(settings.cache_dir, discovery.root) if settings.cache_dir else None
    key = analysis_key(settings, discovery, read, git_commit) if snapshots is not None else ""
    previous: CachedAnalysis | None = None
    stored: Analysis | None = None
    if snapshots is not None:
        with timer.stage("cached analysis"):
            previous = snapshots.load_keys()
            if previous is not None and previous.key == key:
                stored = snapshots.load_analysis()
    if stored is not None:
        return _refreshed(stored, settings, timer, len(read.files))
    with timer.stage("parse"), cyclic_gc_running(collect_while_parsing):
        cache = FactsCache(settings.cache_dir) if settings.cache_dir else None
        collected = collect_read_facts(read, jobs=settings.jobs, cache=cache, progress=progress)
        warnings: tuple[str, ...] = ()
        if cache is not None:
            warnings = (cache.warning,) if cache.warning else ()
            cache.close()
    del read
    if not collected.facts:
        raise AnalysisError(f"none of the {len(discovery.files)} Python files under {root} parse")
    with timer.stage("resolve imports"):
        imports = resolve_imports(collected.facts)
    with timer.stage("call graph"):
        graph_key = callgraph_key(collected.facts) if snapshots is not None else ""
        reused = None
        if snapshots is not None and previous is not None and previous.callgraph_key == graph_key:
            reused = snapshots.load_analysis()
        if reused is not None:
            calls, inheritance = reused.calls, dict(reused.inheritance)
            signals = CodeSignals(reused.models, reused.wiring, reused.data, reused.entry_points)
        else:
            calls, inheritance = build_call_graph(imports)
    with timer.stage("signals"):
        if reused is None:
            signals = code_signals(imports, calls, collected.facts)
        facts = without_flows(collected.facts)
        imports = ImportGraph(
            imports.graph,
            imports.resolved,
            ModuleIndex(without_flows(tuple(imports.index.facts.values()))),
        )
        models, wiring, usage = signals.models, signals.wiring, signals.data
        wiring_counts = Counter((link.source, link.target_module) for link in wiring)
        dependencies = dependency_graph(
            (f.module for f in facts),
            imports.graph,
            calls.module_call_counts(),
            inheritance,
            settings.weights,
            wiring_counts,
        )
    with timer.stage("co-change"):
        cochange = (
            read_cochange(discovery.root, facts, settings)
            if settings.cochange
            else CoChangeSummary()
        )
    problems = tuple(sorted((*discovery.problems, *collected.problems), key=lambda p: p.relpath))
    degraded = sum(1 for f in facts if f.degraded)
    code_warnings: tuple[str, ...] = ()
    if degraded:
        files = "1 file uses" if degraded == 1 else f"{degraded} files use"
        code_warnings = (f"{files} Python 2 syntax: {PARTIAL_ANALYSIS}",)
    with timer.stage("requirements"):
        requirements = read_declared_requirements(discovery.root)
    analysis = Analysis(
        root=discovery.root,
        package_roots=discovery.package_roots,
        facts=facts,
        problems=problems,
        imports=imports,
        calls=calls,
        inheritance=inheritance,
        dependencies=dependencies,
        requirements=requirements,
        git_commit=git_commit,
        warnings=code_warnings,
        models=models,
        wiring=wiring,
        data=usage,
        cochange=cochange,
        entry_points=signals.entry_points,
    )
    if snapshots is not None:
        with timer.stage("cached analysis"):
            snapshots.store(CachedAnalysis(key, graph_key), analysis)
    return replace(
        analysis,
        cache_hits=collected.cache_hits,
        warnings=(*warnings, *code_warnings),
        timings=timer.timings(),
    )


def _refreshed(
    stored: Analysis, settings: AnalysisSettings, timer: StageTimer, files_read: int
) -> Analysis:
    """A cached analysis brought up to date with what its key does not cover: the declared
    requirements (read from files monocut does not analyze), and co-change when `since` is a
    date relative to now ("2 weeks ago")."""
    cochange = stored.cochange
    if settings.cochange and settings.since:
        with timer.stage("co-change"):
            cochange = read_cochange(stored.root, stored.facts, settings)
    with timer.stage("requirements"):
        requirements = read_declared_requirements(stored.root)
    return replace(
        stored,
        requirements=requirements,
        cochange=cochange,
        cache_hits=files_read,  # each one's result (facts or problem) came from the cache
        timings=timer.timings(),
    )


def without_flows(facts: tuple[ModuleFacts, ...]) -> tuple[ModuleFacts, ...]:
    """The facts without their data-flow facts (see Analysis)."""
    return tuple(f if f.flow is None else replace(f, flow=None) for f in facts)


@dataclass(frozen=True)
class CodeSignals:
    """What the coupling signals read from the code alone (not from weights or git): data
    models, framework wiring, data usage and entry points. Cached with the call graph."""

    models: ModelCatalog
    wiring: tuple[WiringLink, ...]
    data: DataUsage
    entry_points: tuple[EntryPoint, ...]


def code_signals(
    imports: ImportGraph, calls: CallGraph, facts: tuple[ModuleFacts, ...]
) -> CodeSignals:
    """Models, wiring, data usage and entry points of the code (analyzer.signals)."""
    code = CodeIndex(imports, calls.classes)
    models = find_models(code)
    wiring = find_wiring(WiringContext(code, models))
    usage = data_usage(
        code, models, imports, calls, wiring, {f.module: f.sql_tables for f in facts}
    )
    return CodeSignals(models, wiring, usage, find_entry_points(code))


@functools.cache
def analyzer_fingerprint() -> str:
    """sha256 of the analyzer package's own source: results cached by one version of the
    code are never read by another (an edited parser or solver gives other results)."""
    digest = hashlib.sha256(f"monocut-callgraph-{CALLGRAPH_CACHE_VERSION}".encode())
    base = Path(__file__).resolve().parent
    for path in sorted(base.rglob("*.py")):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def callgraph_key(facts: tuple[ModuleFacts, ...]) -> str:
    """What the call graph is a function of: every module's name, path and content hash (its
    facts follow from those and the analyzer's code), and the analyzer's code."""
    digest = hashlib.sha256(analyzer_fingerprint().encode())
    for recognizer in registered_recognizers():  # a recognizer registered from outside too
        kind = type(recognizer)
        digest.update(f"{kind.__module__}.{kind.__qualname__}:{recognizer.name}\n".encode())
    for item in facts:
        digest.update(f"{item.module}\0{item.relpath}\0{item.content_hash}\n".encode())
    return digest.hexdigest()


def analysis_key(
    settings: AnalysisSettings, discovery: Discovery, read: ReadSources, git_commit: str | None
) -> str:
    """What a whole Analysis is a function of: the analyzer's code and recognizers, the
    settings that change results, the tree's place, every file found and its content hash,
    every file not read and why, and the commit checked out (co-change reads its history)."""
    digest = hashlib.sha256(callgraph_key(()).encode())
    digest.update(f"{settings.result_key()}\0{discovery.root}\0{git_commit}\n".encode())
    digest.update(repr(discovery.package_roots).encode())
    for problem in (*discovery.problems, *read.problems):
        digest.update(f"{problem.relpath}\0{problem.reason}\0{problem.line}\n".encode())
    for item in read.files:
        source = item.source
        digest.update(
            f"{source.module}\0{source.relpath}\0{source.is_package}\0{item.content_hash}\n".encode()
        )
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedAnalysis:
    """The keys a cached Analysis was stored under: `key` (`analysis_key`: the whole result)
    and `callgraph_key` (its call graph and code signals, which depend on the code alone)."""

    key: str
    callgraph_key: str


class AnalysisCache:
    """The last Analysis of one root, in `<cache dir>/analyses/` (one file per root, replaced
    atomically; its keys first, then the analysis, so a miss reads only the keys).

    While `analysis_key` is unchanged it is the result: a run on code it has seen reads and
    hashes the files and loads one file. When only settings changed (weights, co-change),
    its call graph and code signals are reused while `callgraph_key` is unchanged, which
    skips the points-to analysis and the recognizers. The call graph loads packed
    (analyzer.calls.PackedCalls). An optimization only: any problem reading or writing the
    file is a miss (logged, never raised).
    """

    def __init__(self, cache_dir: Path, root: Path) -> None:
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:32]
        self.path = Path(cache_dir) / "analyses" / f"{name}.pickle"

    def load_keys(self) -> CachedAnalysis | None:
        keys = self._load(0)
        return keys if isinstance(keys, CachedAnalysis) else None

    def load_analysis(self) -> Analysis | None:
        analysis = self._load(1)
        if not isinstance(analysis, Analysis):
            return None
        with suppress(OSError):
            os.utime(self.path)  # recently used: kept by `_prune`
        return analysis

    def _load(self, index: int) -> object:
        try:
            with self.path.open("rb") as handle:
                for _ in range(index):
                    pickle.load(handle)
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign file is a miss
            log.info("ignoring the cached analysis %s: %s", self.path, exc)
            return None

    def store(self, keys: CachedAnalysis, analysis: Analysis) -> None:
        """Write the keys then the analysis (through a partial file renamed over the old
        one, so concurrent runs and a run killed halfway never leave a torn file)."""
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as handle:
                pickle.dump(keys, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(analysis, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.path)
        except Exception as exc:  # noqa: BLE001 - not cached; the analysis goes on
            log.info("cannot cache the analysis in %s: %s", self.path, exc)
            with suppress(OSError):
                partial.unlink(missing_ok=True)
            return
        self._prune()

    def _prune(self) -> None:
        """Delete all but the KEEP_CACHED_ANALYSES most recently written or used analyses
        (each can be tens of megabytes on a large tree)."""
        try:
            stored = sorted(
                ((entry.stat().st_mtime, entry.path) for entry in os.scandir(self.path.parent)),
                reverse=True,
            )
        except OSError:
            return
        for _mtime, path in stored[KEEP_CACHED_ANALYSES:]:
            if path.endswith(".pickle"):
                with suppress(OSError):
                    os.unlink(path)


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
