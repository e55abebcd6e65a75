"""Coupling metrics of a plan over the git history of the analyzed tree.

Every file is read straight from git objects (`git ls-tree`, one `git cat-file --batch`
process): no checkout, the working tree and the repository are never written. Parsed facts are
kept by (blob hash, relpath, module) for the run and in the FactsCache (keyed by the blob's
content sha256) across runs, so a file that did not change between commits is parsed once.

For each commit the plan is mapped onto that commit's modules: modules of the plan the commit
does not have are skipped; modules the plan does not know go to the service holding most
modules of their package (longest matching package prefix), else to "unassigned".
"""

from __future__ import annotations

import hashlib
import keyword
import os
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

import networkx as nx

from analyzer.cache import FactsCache
from analyzer.calls import build_call_graph
from analyzer.collect import FileLimits, skipped_content
from analyzer.discover import DEFAULT_EXCLUDES, TEST_EXCLUDES
from analyzer.facts import FileProblem, ModuleFacts, SourceFile
from analyzer.imports import resolve_imports
from analyzer.metrics import (
    icp,
    service_coupling,
    service_cycles,
    service_dependency_graph,
)
from analyzer.plan import DecompositionPlan
from analyzer.signals import SignalWeights, dependency_graph
from analyzer.signals.code_index import CodeIndex
from analyzer.signals.models import find_models
from analyzer.signals.wiring import WiringContext, find_wiring

#: Service of a module that neither the plan nor its package places.
UNASSIGNED = "unassigned"

ROUND_DIGITS = 4

Progress = Callable[[int, int], None]


class HistoryError(ValueError):
    """The history cannot be read (not a git repository, unknown revision, git missing)."""


@dataclass(frozen=True)
class CommitInfo:
    commit: str
    date: str  # author date, strict ISO 8601
    subject: str


@dataclass(frozen=True)
class TrendPoint:
    """The plan's metrics on the code of one commit."""

    commit: str
    date: str
    subject: str
    modules: int
    icp: float
    cross_service_dependencies: int
    service_coupling: Mapping[str, float] = field(default_factory=dict)
    #: simple cycles between services (analyzer.metrics.service_cycles, capped at its limit)
    service_cycles: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "date": self.date,
            "subject": self.subject,
            "modules": self.modules,
            "icp": self.icp,
            "cross_service_dependencies": self.cross_service_dependencies,
            "service_coupling": dict(sorted(self.service_coupling.items())),
            "service_cycles": self.service_cycles,
        }


# ------------------------------------------------------------------------------ reading git


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run a read-only git command in `root`; its stdout, or HistoryError with one line."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        result = subprocess.run(
            ["git", "--no-pager", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as error:
        raise HistoryError(f"cannot run git: {error.strerror or error}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit code {result.returncode}"
        raise HistoryError(f"git {args[0]} failed in {root}: {first}")
    return result.stdout


def _require_repository(root: Path) -> None:
    if not Path(root).is_dir():
        raise HistoryError(f"{root} is not a directory")
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except HistoryError:
        raise HistoryError(f"{root} is not inside a git repository") from None


def list_commits(root: Path, *, commits: int, since: str | None = None) -> tuple[CommitInfo, ...]:
    """The last `commits` non-merge commits (newer than `since`, a git date), oldest first."""
    _require_repository(root)
    if commits < 1:
        raise HistoryError("--commits must be at least 1")
    args = ["log", "--no-merges", "--no-color", "--format=%H%x1f%aI%x1f%s%x1e", "-n", str(commits)]
    if since:
        args.append(f"--since={since}")
    try:
        _git(root, "rev-parse", "--verify", "-q", "HEAD")
    except HistoryError:
        return ()  # an empty repository: no history yet
    out = _git(root, *args, "HEAD", "--")
    found: list[CommitInfo] = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        commit, date, subject = (record.split("\x1f") + ["", ""])[:3]
        found.append(CommitInfo(commit, date, subject))
    return tuple(reversed(found))


def _prefix(root: Path) -> str:
    return _git(root, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()


def tree_files(root: Path, commit: str, prefix: str | None = None) -> dict[str, str]:
    """`*.py` blobs under `root` at `commit`: path relative to `root` -> blob hash."""
    prefix = _prefix(root) if prefix is None else prefix
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if prefix:
        args += ["--", prefix]
    out = _git(root, *args)
    files: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000" or not path.endswith(".py"):
            continue
        if prefix and not path.startswith(prefix):
            continue
        files[path[len(prefix) :]] = blob
    return dict(sorted(files.items()))


def read_blobs(root: Path, hashes: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob, read through one `git cat-file --batch` process."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode("ascii"))
    blobs: dict[str, bytes] = {}
    position = 0
    while position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].decode("ascii", "replace").split(" ")
        position = end + 1
        if len(header) != 3:  # "<hash> missing"
            continue
        name, _, size = header
        length = int(size)
        blobs[name] = out[position : position + length]
        position += length + 1
    return blobs


# ------------------------------------------------------------------------- module naming


def _matches(piece: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(piece, pattern) for pattern in patterns)


def _excluded(relpath: str, excludes: Sequence[str], include_tests: bool) -> bool:
    parts = relpath.split("/")
    patterns = (*DEFAULT_EXCLUDES, *excludes, *(() if include_tests else TEST_EXCLUDES))
    if any(_matches(piece, patterns) for piece in parts):
        return True
    return any(fnmatchcase(relpath, pattern) for pattern in excludes)


def module_names(
    relpaths: Iterable[str], excludes: Sequence[str] = (), include_tests: bool = False
) -> dict[str, tuple[str, bool]]:
    """relpath -> (module, is_package), named as analyzer.discover names files on disk (flat
    and src layouts; `pkg/__init__.py` is `pkg`); excluded and unimportable files are left out.
    """
    paths = sorted(relpaths)
    src_layout = any(p.startswith("src/") for p in paths) and "src/__init__.py" not in paths
    packages = {str(PurePosixPath(p).parent) for p in paths if p.endswith("/__init__.py")}
    names: dict[str, tuple[str, bool]] = {}
    for relpath in paths:
        if _excluded(relpath, excludes, include_tests):
            continue
        parts = relpath[: -len(".py")].split("/")
        if src_layout:
            if parts[0] == "src":
                parts = parts[1:]
            elif len(parts) < 2 or parts[0] not in packages:
                continue  # tooling beside src/ (setup.py, docs/)
        is_package = parts[-1] == "__init__"
        pieces = parts[:-1] if is_package else parts
        if not pieces or any(not p.isidentifier() or keyword.iskeyword(p) for p in pieces):
            continue
        module = ".".join(pieces)
        if module not in {m for m, _ in names.values()}:
            names[relpath] = (module, is_package)
    return names


# --------------------------------------------------------------------------- plan mapping


def map_plan(plan: DecompositionPlan, modules: Iterable[str]) -> dict[str, str]:
    """Module -> service at one commit (see the module docstring); shared modules are left out."""
    intended = plan.partition()
    shared = set(plan.shared.modules)
    partition: dict[str, str] = {}
    for module in sorted(modules):
        if module in intended:
            partition[module] = intended[module]
        elif module not in shared:
            partition[module] = _package_service(module, intended)
    return partition


def _package_service(module: str, intended: Mapping[str, str]) -> str:
    pieces = module.split(".")
    for length in range(len(pieces), 0, -1):
        package = ".".join(pieces[:length])
        counts = Counter(
            service
            for other, service in intended.items()
            if other == package or other.startswith(package + ".")
        )
        if counts:
            return min(counts, key=lambda service: (-counts[service], service))
    return UNASSIGNED


# ------------------------------------------------------------------------------- the trend


class FactsStore:
    """Facts by (blob hash, relpath, module): parsed once per run, kept in `cache` if given."""

    def __init__(
        self,
        cache: FactsCache | None = None,
        jobs: int | None = None,
        limits: FileLimits = FileLimits(),
    ) -> None:
        self.cache = cache
        self.jobs = jobs
        self.limits = limits
        self.memory: dict[tuple[str, str, str], ModuleFacts | FileProblem] = {}
        self.parsed = 0
        self.cache_hits = 0

    def facts(
        self, root: Path, files: Mapping[str, str], names: Mapping[str, tuple[str, bool]]
    ) -> tuple[ModuleFacts, ...]:
        keys = {
            relpath: (files[relpath], relpath, module) for relpath, (module, _) in names.items()
        }
        missing = sorted({key for key in keys.values() if key not in self.memory})
        if missing:
            blobs = read_blobs(root, (blob for blob, _, _ in missing))
            todo: list[tuple[tuple[str, str, str], SourceFile, bytes, str]] = []
            for key in missing:
                blob, relpath, module = key
                data = blobs.get(blob)
                if data is None:
                    self.memory[key] = FileProblem(relpath, "not found in git objects")
                    continue
                skipped = skipped_content(relpath, data, self.limits)
                if skipped is not None:
                    self.memory[key] = skipped
                    continue
                source = SourceFile(Path(relpath), relpath, module, names[relpath][1])
                content_hash = hashlib.sha256(data).hexdigest()
                cached = self.cache.get(source, content_hash) if self.cache else None
                if cached is not None:
                    self.memory[key] = cached
                    self.cache_hits += 1
                else:
                    todo.append((key, source, data, content_hash))
            results = self._parse([(source, data) for _, source, data, _ in todo])
            self.parsed += len(todo)
            for (key, _, _, _), result in zip(todo, results, strict=True):
                self.memory[key] = result
            if self.cache is not None:
                self.cache.put_many(
                    (source, content_hash, result)
                    for (_, source, _, content_hash), result in zip(todo, results, strict=True)
                )
        found = (self.memory[keys[relpath]] for relpath in sorted(keys))
        facts = [f for f in found if isinstance(f, ModuleFacts)]
        return tuple(sorted(facts, key=lambda f: (f.module, f.relpath)))

    def _parse(self, items: list[tuple[SourceFile, bytes]]) -> list[ModuleFacts | FileProblem]:
        from analyzer.parse import parse_source  # libcst: imported when something is parsed

        if self.jobs and self.jobs > 1 and len(items) > 8:
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                return list(pool.map(parse_source, *zip(*items, strict=True), chunksize=4))
        return [parse_source(source, data) for source, data in items]


def dependencies_of(
    facts: tuple[ModuleFacts, ...], weights: SignalWeights = SignalWeights()
) -> nx.DiGraph:
    """The module dependency graph, built as analyzer.pipeline.analyze builds it."""
    imports = resolve_imports(facts)
    calls, inheritance = build_call_graph(imports)
    code = CodeIndex(imports, calls.classes)
    models = find_models(code)
    wiring = find_wiring(WiringContext(code, models))
    wiring_counts: dict[tuple[str, str], int] = {}
    for link in wiring:
        pair = (link.source, link.target_module)
        wiring_counts[pair] = wiring_counts.get(pair, 0) + 1
    return dependency_graph(
        (f.module for f in facts),
        imports.graph,
        calls.module_call_counts(),
        inheritance,
        weights,
        wiring_counts,
    )


@dataclass(frozen=True)
class CommitMetrics:
    """The plan's numbers on one state of the code (what a TrendPoint adds to a commit)."""

    icp: float
    cross_service_dependencies: int
    service_coupling: Mapping[str, float]
    service_cycles: int


def commit_metrics(facts: tuple[ModuleFacts, ...], plan: DecompositionPlan) -> CommitMetrics:
    """Build the dependency graph of `facts` and score the plan mapped onto it. Pure, so the
    states of many commits can be scored in parallel processes."""
    graph = dependencies_of(facts)
    partition = map_plan(plan, (f.module for f in facts))
    sdg = service_dependency_graph(graph, partition)
    return CommitMetrics(
        icp=round(icp(graph, partition), ROUND_DIGITS) + 0.0,
        cross_service_dependencies=sum(
            int(data.get("edges", 0)) for _, _, data in sdg.edges(data=True)
        ),
        service_coupling={
            s: round(v, ROUND_DIGITS) + 0.0
            for s, v in sorted(service_coupling(graph, partition).items())
        },
        service_cycles=len(service_cycles(graph, partition)),
    )


def trend(
    root: Path,
    plan: DecompositionPlan,
    *,
    commits: int = 20,
    since: str | None = None,
    excludes: Sequence[str] = (),
    include_tests: bool = False,
    store: FactsStore | None = None,
    progress: Progress | None = None,
) -> tuple[TrendPoint, ...]:
    """The plan's ICP, cross-service dependency count, per-service coupling and service cycles
    at each of the last `commits` commits (oldest first).

    Each distinct blob is parsed once (the store); a commit that changed no analyzed file
    (docs, tests, configuration) reuses the previous state's numbers; the distinct states are
    scored in `store.jobs` processes, since each needs a whole-program call graph.
    """
    root = Path(root)
    history = list_commits(root, commits=commits, since=since)
    store = store or FactsStore()
    prefix = _prefix(root) if history else ""
    states: dict[tuple[tuple[str, str, str], ...], tuple[ModuleFacts, ...]] = {}
    state_of: list[tuple[tuple[str, str, str], ...]] = []
    for info in history:
        files = tree_files(root, info.commit, prefix)
        names = module_names(files, excludes, include_tests)
        code = tuple(sorted((r, files[r], module) for r, (module, _) in names.items()))
        if code not in states:
            states[code] = store.facts(root, files, names)
        state_of.append(code)
    metrics = _score_states(states, plan, store.jobs, progress)
    return tuple(
        TrendPoint(
            commit=info.commit,
            date=info.date,
            subject=info.subject,
            modules=len(states[code]),
            icp=metrics[code].icp,
            cross_service_dependencies=metrics[code].cross_service_dependencies,
            service_coupling=metrics[code].service_coupling,
            service_cycles=metrics[code].service_cycles,
        )
        for info, code in zip(history, state_of, strict=True)
    )


def _score_states(
    states: Mapping[tuple[tuple[str, str, str], ...], tuple[ModuleFacts, ...]],
    plan: DecompositionPlan,
    jobs: int | None,
    progress: Progress | None,
) -> dict[tuple[tuple[str, str, str], ...], CommitMetrics]:
    keys = list(states)
    results: dict[tuple[tuple[str, str, str], ...], CommitMetrics] = {}
    if jobs and jobs > 1 and len(keys) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(keys))) as pool:
            scored = pool.map(commit_metrics, (states[k] for k in keys), (plan for _ in keys))
            for done, (key, result) in enumerate(zip(keys, scored, strict=True), 1):
                results[key] = result
                if progress is not None:
                    progress(done, len(keys))
        return results
    for done, key in enumerate(keys, 1):
        results[key] = commit_metrics(states[key], plan)
        if progress is not None:
            progress(done, len(keys))
    return results
