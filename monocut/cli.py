"""The `monocut` command line (typer).

Exit codes are decided in one place, `main`: 0 success, 1 a check failed, 2 a usage or input
error. Errors print as one line (or one line per problem for plans and configuration), never as
a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Annotated

import jinja2
import networkx as nx
import typer

from analyzer.algorithms import ALGORITHMS, NO_CONSTRAINTS, constraint_problems
from analyzer.cluster import Clustering, ClusterSettings
from analyzer.discover import OUTPUT_MARKER, DiscoveryError, discover
from analyzer.pipeline import Analysis, AnalysisError, AnalysisSettings, analyze
from analyzer.plan import (
    DecompositionPlan,
    PlanError,
    dump_plan_json,
    dump_plan_yaml,
    read_plan,
    write_plan,
)
from analyzer.planning import coupling_of, propose_plan, rescore_plan, stability_of
from analyzer.python_version import project_python_version
from analyzer.signals.combine import Coupling
from generators.export import ExportError
from generators.export import export as export_config
from generators.html_report import report_html
from generators.report import report_json, report_markdown
from generators.sarif import sarif_json, sarif_log
from generators.sources import source_root
from generators.trend_chart import read_trend_json
from generators.writer import TARGETS, ArtifactResult, write_artifacts
from generators.writer import parse_targets as writer_targets
from monocut import callgraph as callgraph_output
from monocut import output, signals_view
from monocut.boundaries import boundary_crossings
from monocut.config import ConfigError, MonocutConfig, load_config
from monocut.output import dot_id
from monocut.summary import call_sites, module_calls, report_context

try:
    VERSION = metadata.version("monocut")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    VERSION = "0+unknown"

app = typer.Typer(
    name="monocut",
    help=(
        "Read a Python monolith without running it, find where it could be cut into services, "
        "score the cut, and write Dockerfiles, docker-compose.yml, Kubernetes manifests and "
        "reports.\n\nStart with: monocut decompose PATH -o out"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class AnalyzeFormat(StrEnum):
    text = "text"
    json = "json"
    dot = "dot"
    graphml = "graphml"


class CallgraphFormat(StrEnum):
    json = "json"
    dot = "dot"
    graphml = "graphml"


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    json = "json"
    sarif = "sarif"


class ExportFormat(StrEnum):
    importlinter = "importlinter"
    tach = "tach"


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"


PathArg = Annotated[
    Path,
    typer.Argument(
        metavar="PATH", help="Root of the code to analyze (a repository, src/ or a package)."
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Parallel parser processes (default: all cores)."),
]
CacheDir = Annotated[
    Path | None,
    typer.Option(help="Where parsed facts are cached by content hash (default: ~/.cache/monocut)."),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Parse every file again; use no cache.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Print more detail.")]
Exclude = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Glob of paths to skip (repeatable), added to the defaults."),
]
IncludeTests = Annotated[
    bool | None,
    typer.Option("--include-tests/--no-include-tests", help="Analyze test files too."),
]
IgnoreLayout = Annotated[
    bool | None,
    typer.Option(
        "--ignore-layout/--use-layout",
        help="Cluster on the code alone, ignoring which package a module sits in.",
    ),
]
Resolution = Annotated[
    float | None,
    typer.Option(min=0.01, help="Louvain resolution: higher gives more, smaller services."),
]
Seed = Annotated[int | None, typer.Option(help="Random seed of the clustering.")]
Algorithm = Annotated[
    str | None,
    typer.Option(help=f"Clustering algorithm: {', '.join(sorted(ALGORITHMS))} (default spectral)."),
]
Services = Annotated[
    int | None,
    typer.Option(min=1, help="Force this many services (else the algorithm's objective chooses)."),
]
Since = Annotated[
    str | None,
    typer.Option(help="Co-change: read git history since this date (for example 2.years)."),
]
PythonVersion = Annotated[
    str | None,
    typer.Option(
        help="Python of the generated images, like 3.12 (default: from .python-version, "
        "runtime.txt or requires-python, else 3.11)."
    ),
]
MaxCommits = Annotated[
    int | None, typer.Option(min=1, help="Co-change: read at most this many commits.")
]
CoChange = Annotated[
    bool | None,
    typer.Option("--cochange/--no-cochange", help="Use co-change from git history."),
]
Templates = Annotated[
    Path | None,
    typer.Option(help="Directory of templates overriding the built-in ones, file by file."),
]


# typer >= 0.29 ships its own copy of click; its exceptions share a base named ClickException.
CLICK_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class UserError(Exception):
    """A problem with the user's input, reported as one line with exit code 2."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "monocut"


def project_config(path: Path) -> MonocutConfig:
    """The project's `[tool.monocut]`. When it has mistakes, its constraints are also checked
    against the tree's modules (discovery only, no parsing), so that every problem of the
    table is reported at once."""
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if not path.is_dir():
        raise UserError(f"{path} is not a directory")
    try:
        return load_config(path)
    except ConfigError as error:
        partial = error.partial
        if partial is None or partial.constraints == NO_CONSTRAINTS:
            raise
        try:
            found = discover(path, excludes=partial.exclude, include_tests=partial.include_tests)
        except DiscoveryError:
            raise error from None
        extra = constraint_problems(partial.constraints, [f.module for f in found.files])
        raise ConfigError(error.source, [*error.problems, *extra]) from None


def run_analysis(
    path: Path,
    config: MonocutConfig,
    *,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    quiet: bool,
) -> Analysis:
    settings = AnalysisSettings(
        excludes=config.exclude,
        include_tests=config.include_tests,
        jobs=jobs or config.jobs,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
        cochange=config.cochange,
        since=config.since,
        max_commits=config.max_commits,
        max_files_per_commit=config.max_commit_files,
    )
    with output.parse_progress(quiet) as progress:
        return analyze(path, settings, progress)


def merged_config(
    path: Path,
    exclude: list[str] | None,
    include_tests: bool | None,
    **overrides: object,
) -> MonocutConfig:
    config = project_config(path)
    excludes = (*config.exclude, *exclude) if exclude else None
    return config.with_overrides(exclude=excludes, include_tests=include_tests, **overrides)


def cluster_settings(config: MonocutConfig) -> ClusterSettings:
    return ClusterSettings(
        algorithm=config.algorithm,
        services=config.services,
        constraints=config.constraints,
        resolution=config.resolution,
        seed=config.seed,
        shared_threshold=config.shared_threshold,
        shared_min_clusters=config.shared_min_clusters,
        min_service_modules=config.min_service_modules,
    )


DEFAULT_PYTHON = "3.11"


def python_version_of(analysis: Analysis, config: MonocutConfig) -> str:
    """The flag or `python_version` setting, else what the project's files say
    (`.python-version`, `runtime.txt`, `requires-python`), else DEFAULT_PYTHON."""
    if config.python_version:
        return config.python_version
    found = project_python_version(analysis.root)
    return found[0] if found else DEFAULT_PYTHON


def make_plan(
    analysis: Analysis, config: MonocutConfig, plan_dir: Path
) -> tuple[DecompositionPlan, Clustering, Coupling]:
    """The proposed plan, with the clustering and the signals it was made from (reused by
    the stability check and the reports rather than computed again)."""
    problems = constraint_problems(config.constraints, analysis.modules)
    if problems:
        raise ConfigError("[tool.monocut.constraints]", problems)
    coupling = coupling_of(analysis, config.weights, use_layout=not config.ignore_layout)
    plan, clustering = propose_plan(
        analysis,
        cluster_settings(config),
        plan_dir=plan_dir,
        use_layout=not config.ignore_layout,
        weights=config.weights,
        coupling=coupling,
        python_version=python_version_of(analysis, config),
        recorded_settings={
            "excludes": list(config.exclude),
            "include_tests": config.include_tests,
            "cochange": {
                "enabled": config.cochange,
                "since": config.since,
                "max_commits": config.max_commits,
                "max_commit_files": config.max_commit_files,
                "commits_used": analysis.cochange.commits_used,
                "commits_skipped": analysis.cochange.commits_skipped,
            },
        },
    )
    return plan, clustering, coupling


def write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from None


def prepare_output_dir(out: Path) -> None:
    """Create the output directory up front (before any long analysis) and mark it, so that
    discovery never analyzes monocut's own output when it sits inside the analyzed tree."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / OUTPUT_MARKER).write_text(
            "Written by monocut: this directory holds generated files and is never analyzed.\n",
            encoding="utf-8",
        )
    except OSError as problem:
        raise UserError(f"cannot write to {out}: {problem.strerror or problem}") from None


def overwrite_note(result: ArtifactResult) -> str:
    """`, replacing N files that had other content` (nothing when none was replaced)."""
    count = len(result.overwritten)
    if not count:
        return ""
    return f", replacing {count} file{'s' if count != 1 else ''} that had other content"


def artifact_warnings(result: ArtifactResult) -> tuple[str, ...]:
    """The writer's warnings plus one line per module whose source file was not found."""
    missing = tuple(
        f"module {m.module} (of {m.owner}) not copied into its image: {m.reason}"
        for m in result.missing_modules
    )
    return (*missing, *result.warnings)


def emit(text: str, output_file: Path | None) -> None:
    """Write command output to a file, or to stdout when no file is given."""
    if output_file:
        write_text(output_file, text)
    else:
        sys.stdout.write(text)


def rescored(
    path: Path, plan_file: Path, **analysis_options: object
) -> tuple[Analysis, DecompositionPlan, DecompositionPlan]:
    """(analysis, the plan as stored, the plan re-scored against the code at `path`).

    The code is read with the excludes the plan was made with, so an unedited plan scores the
    same as when it was written.
    """
    stored = read_plan(plan_file, check_dependencies=False)
    recorded = stored.settings
    config = project_config(path).with_overrides(
        exclude=tuple(recorded.get("excludes", ())) or None,
        include_tests=recorded.get("include_tests"),
    )
    analysis = run_analysis(path, config, **analysis_options)  # type: ignore[arg-type]
    try:
        scored = rescore_plan(analysis, stored, plan_dir=plan_file.parent)
    except PlanError as error:
        raise PlanError(str(plan_file), error.problems) from None
    return analysis, stored, scored


def write_reports(
    out_dir: Path,
    analysis: Analysis,
    plan: DecompositionPlan,
    templates: Path | None,
    stability: float | None = None,
    coupling: Coupling | None = None,
) -> None:
    context = report_context(analysis, plan, coupling=coupling, stability=stability)
    write_text(out_dir / "report.md", report_markdown(plan, context, templates))
    write_text(out_dir / "report.json", report_json(plan, context))
    write_text(out_dir / "report.html", report_html(plan, context, templates))


def parse_targets(text: str) -> tuple[str, ...]:
    """`docker,k8s` -> the targets, validated by the writer (a ValueError names bad ones)."""
    return writer_targets([t.strip() for t in text.split(",") if t.strip()])


# ---------------------------------------------------------------------------- commands


@app.command("analyze")
def analyze_command(
    path: PathArg,
    format: Annotated[
        AnalyzeFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AnalyzeFormat.text,
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
    signals: Annotated[
        bool,
        typer.Option(
            "--signals",
            help="Show every coupling signal per module pair (imports, calls, inheritance, "
            "wiring, data, semantic, co-change, layout), normalized, and their combination.",
        ),
    ] = False,
    ignore_layout: IgnoreLayout = None,
    cochange: CoChange = None,
    since: Since = None,
    max_commits: MaxCommits = None,
    exclude: Exclude = None,
    include_tests: IncludeTests = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> int:
    """Build the module import graph and print a summary (or the graph as JSON, DOT, GraphML)."""
    config = merged_config(
        path,
        exclude,
        include_tests,
        ignore_layout=ignore_layout,
        cochange=cochange,
        since=since,
        max_commits=max_commits,
    )
    analysis = run_analysis(
        path, config, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    watch = output.Stopwatch(analysis.timings)
    with watch.stage("coupling signals"):
        coupling = (
            coupling_of(analysis, config.weights, use_layout=not config.ignore_layout)
            if signals
            else None
        )
    watch.print(verbose)
    if format is AnalyzeFormat.text:
        out = output.console(quiet and not output_file, record=output_file is not None)
        output.print_analysis(out, analysis, verbose)
        if coupling is not None:
            for line in signals_view.signals_text(analysis, coupling, verbose):
                out.print(line, markup=False, soft_wrap=True)
        if output_file:
            write_text(output_file, out.export_text())
        return 0
    if coupling is not None and format is AnalyzeFormat.json:
        emit(signals_view.signals_json(analysis, coupling), output_file)
        return 0
    graph = coupling.graph if coupling is not None else analysis.imports.graph
    text = graph_text(analysis, graph, format)
    emit(text, output_file)
    return 0


def edge_weight(data: dict) -> float:
    return data.get("weight", data.get("statements", 1))


def graph_text(analysis: Analysis, graph: nx.DiGraph, format: AnalyzeFormat) -> str:
    lines = {f.module: f.code_lines for f in analysis.facts}
    if format is AnalyzeFormat.json:
        return (
            json.dumps(
                {
                    "modules": [{"name": m, "lines": lines[m]} for m in sorted(graph.nodes)],
                    "edges": [
                        {"source": u, "target": v, **data}
                        for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
                    ],
                    "problems": [
                        {"path": p.relpath, "reason": p.reason} for p in analysis.problems
                    ],
                },
                indent=2,
            )
            + "\n"
        )
    if format is AnalyzeFormat.dot:
        body = [f"  {dot_id(m)};" for m in sorted(graph.nodes)]
        body += [
            f"  {dot_id(u)} -> {dot_id(v)} [weight={edge_weight(d)}];"
            for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
        ]
        return "digraph monocut {\n" + "\n".join(body) + "\n}\n"
    flat = nx.DiGraph()
    for module in sorted(graph.nodes):
        flat.add_node(module, lines=lines[module])
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        flat.add_edge(
            u,
            v,
            **{
                k: (json.dumps(w, sort_keys=True) if isinstance(w, dict) else w)
                for k, w in data.items()
            },
        )
    return "\n".join(nx.generate_graphml(flat)) + "\n"


@app.command()
def callgraph(
    path: PathArg,
    format: Annotated[
        CallgraphFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: json (the default), dot or graphml; with --summary, json "
            "(the default is text).",
        ),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="Print the calls between modules and how the call sites resolved instead of "
            "the graph.",
        ),
    ] = False,
    all_functions: Annotated[
        bool,
        typer.Option(
            "--all-functions",
            help="Include the calls of every function, also those the analysis never sees "
            "called (by default only functions reached from module code and entry points).",
        ),
    ] = False,
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
    exclude: Exclude = None,
    include_tests: IncludeTests = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
) -> int:
    """Print the function-level call graph as JSON ({"caller": ["callee", ...]}), DOT or
    GraphML; or, with --summary, the calls between modules and how call sites resolved."""
    if summary and format not in (None, CallgraphFormat.json):
        raise UserError(f"--summary is printed as text or json, not {format}")
    config = merged_config(path, exclude, include_tests)
    analysis = run_analysis(
        path, config, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    calls = analysis.calls
    if summary:
        between, sites = module_calls(analysis), call_sites(analysis)
        text = (
            callgraph_output.summary_text(between, sites)
            if format is None
            else callgraph_output.json_text(
                callgraph_output.summary_data(between, sites), sort_keys=False
            )
        )
    else:
        graph = calls.adjacency(reached_only=not all_functions)
        if format is CallgraphFormat.dot:
            text = callgraph_output.callgraph_dot(graph, calls.modules)
        elif format is CallgraphFormat.graphml:
            text = callgraph_output.callgraph_graphml(graph, calls.modules)
        else:
            text = callgraph_output.json_text(graph)
    emit(text, output_file)
    return 0


@app.command()
def decompose(
    path: PathArg,
    out: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Directory to write the plan, artifacts and reports to."
        ),
    ] = Path("monocut-out"),
    target: Annotated[
        str | None, typer.Option(help=f"Artifacts to write, comma-separated: {','.join(TARGETS)}.")
    ] = None,
    namespace: Annotated[
        str | None, typer.Option(help="Kubernetes namespace of the generated manifests.")
    ] = None,
    templates: Templates = None,
    ignore_layout: IgnoreLayout = None,
    algorithm: Algorithm = None,
    services: Services = None,
    resolution: Resolution = None,
    seed: Seed = None,
    cochange: CoChange = None,
    since: Since = None,
    max_commits: MaxCommits = None,
    python_version: PythonVersion = None,
    exclude: Exclude = None,
    include_tests: IncludeTests = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> int:
    """The main job: analyze, cluster, score; write the plan, artifacts and reports."""
    config = merged_config(
        path,
        exclude,
        include_tests,
        ignore_layout=ignore_layout,
        algorithm=algorithm,
        services=services,
        resolution=resolution,
        seed=seed,
        cochange=cochange,
        since=since,
        max_commits=max_commits,
        python_version=python_version,
        namespace=namespace,
        targets=parse_targets(target) if target is not None else None,
    )
    prepare_output_dir(out)
    analysis = run_analysis(
        path, config, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    watch = output.Stopwatch(analysis.timings)
    with watch.stage("coupling, clustering, plan"):
        plan, clustering, coupling = make_plan(analysis, config, out)
    with watch.stage("stability"):
        stability = stability_of(
            analysis,
            cluster_settings(config),
            use_layout=not config.ignore_layout,
            coupling=coupling,
            first=clustering,
        )
    with watch.stage("write plan, artifacts, reports"):
        write_plan(plan, out / "plan.yaml")
        result = write_artifacts(
            plan,
            out,
            out,
            targets=config.targets,
            templates_dir=templates,
            namespace=config.namespace,
        )
        write_reports(out, analysis, plan, templates, stability, coupling)
    watch.print(verbose)
    console = output.console(quiet)
    output.print_plan(console, plan)
    console.print(f"stability (mean ARI of the plans of 5 seeds): {stability:.3f}")
    output.print_warnings(console, (*analysis.warnings, *artifact_warnings(result)), verbose)
    console.print(
        f"wrote plan.yaml, report.md, report.html, report.json and {len(result.written)} "
        f"artifacts to {out}" + overwrite_note(result)
    )
    return 0


@app.command()
def plan(
    path: PathArg,
    out: Annotated[
        Path, typer.Option("--output", "-o", help="Plan file to write (.yaml or .json).")
    ] = Path("plan.yaml"),
    ignore_layout: IgnoreLayout = None,
    algorithm: Algorithm = None,
    services: Services = None,
    resolution: Resolution = None,
    seed: Seed = None,
    cochange: CoChange = None,
    since: Since = None,
    max_commits: MaxCommits = None,
    python_version: PythonVersion = None,
    exclude: Exclude = None,
    include_tests: IncludeTests = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
) -> int:
    """Propose a decomposition and write only the plan file, for review and hand edits."""
    config = merged_config(
        path,
        exclude,
        include_tests,
        ignore_layout=ignore_layout,
        algorithm=algorithm,
        services=services,
        resolution=resolution,
        seed=seed,
        cochange=cochange,
        since=since,
        max_commits=max_commits,
        python_version=python_version,
    )
    analysis = run_analysis(
        path, config, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    proposed = make_plan(analysis, config, out.parent)[0]
    write_text(out, dump_plan_json(proposed) if out.suffix == ".json" else dump_plan_yaml(proposed))
    console = output.console(quiet)
    output.print_plan(console, proposed)
    console.print(f"wrote {out}")
    return 0


@app.command()
def score(
    path: PathArg,
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLAN", help="The plan to score (may be hand-edited).")
    ],
    format: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScoreFormat.text,
    write: Annotated[
        Path | None, typer.Option(help="Also write the re-scored plan to this file.")
    ] = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
) -> int:
    """Re-score a plan against the code: metrics, APIs and dependencies of its services."""
    analysis, stored, scored = rescored(
        path, plan_file, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    if write:
        write_text(
            write, dump_plan_json(scored) if write.suffix == ".json" else dump_plan_yaml(scored)
        )
    if format is ScoreFormat.json:
        sys.stdout.write(
            json.dumps(
                {
                    "metrics": dict(scored.metrics),
                    "services": {s.name: dict(s.metrics) for s in scored.services},
                },
                indent=2,
            )
            + "\n"
        )
        return 0
    console = output.console(quiet)
    output.print_plan(console, scored)
    unplaced = sorted(set(analysis.modules) - set(scored.modules))
    if unplaced:
        output.print_warnings(
            console,
            [
                f"{len(unplaced)} modules of the code are in no service and not shared: "
                + ", ".join(unplaced)
            ],
        )
    changed = {
        k: (stored.metrics.get(k), v)
        for k, v in scored.metrics.items()
        if stored.metrics.get(k) != v
    }
    if stored.metrics and changed:
        console.print("changed since the plan was written:")
        for name, (before, after) in changed.items():
            console.print(f"  {name}: {before} -> {after}")
    elif stored.metrics:
        console.print("metrics match the plan")
    return 0


@app.command()
def generate(
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLAN", help="The plan to generate artifacts from.")
    ],
    out: Annotated[
        Path, typer.Option("--output", "-o", help="Directory to write artifacts to.")
    ] = Path("monocut-out"),
    target: Annotated[
        str, typer.Option(help=f"Artifacts to write, comma-separated: {','.join(TARGETS)}.")
    ] = ",".join(TARGETS),
    namespace: Annotated[
        str | None, typer.Option(help="Kubernetes namespace of the generated manifests.")
    ] = None,
    templates: Templates = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> int:
    """Write Dockerfiles, docker-compose.yml and k8s/ from a plan (no analysis needed)."""
    stored = read_plan(plan_file)
    targets = parse_targets(target)
    root = source_root(stored, plan_file.parent)
    if "docker" in targets and not root.is_dir():
        raise UserError(
            f"the plan's source root {root} does not exist; fix source.root in {plan_file} "
            "(it is relative to the plan file)"
        )
    prepare_output_dir(out)
    result = write_artifacts(
        stored,
        plan_file.parent,
        out,
        targets=targets,
        templates_dir=templates,
        namespace=namespace,
    )
    console = output.console(quiet)
    output.print_warnings(console, artifact_warnings(result), verbose)
    console.print(f"wrote {len(result.written)} files to {out}{overwrite_note(result)}")
    if verbose:
        for path in result.overwritten:
            console.print(f"  overwrote {path}", markup=False)
    return 0


@app.command()
def report(
    path: PathArg,
    plan_file: Annotated[Path, typer.Option("--plan", help="The plan to report on.")],
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.md,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    templates: Templates = None,
    trend_file: Annotated[
        Path | None,
        typer.Option(
            "--trend",
            help="A trend.json written by `monocut trend`, charted in the HTML report.",
        ),
    ] = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
) -> int:
    """Write a report (HTML, Markdown, JSON or SARIF) on a plan, re-scored against the current
    code.

    HTML is one self-contained page: the service graph, the dependency structure matrix, the
    metrics, shared data models and, with --trend, the coupling trend chart. SARIF 2.1.0 holds
    one result per dependency that crosses a boundary of the plan (or closes a cycle between
    services), located at its import, call or reference site.
    """
    if trend_file is not None and format is not ReportFormat.html:
        raise UserError("--trend is charted only in the HTML report (--format html)")
    trend_points = read_trend_json(trend_file) if trend_file is not None else ()
    analysis, _, scored = rescored(
        path, plan_file, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    if format is ReportFormat.sarif:
        log = sarif_log(scored, boundary_crossings(analysis, scored), tool_version=VERSION)
        emit(sarif_json(log), out)
        return 0
    context = report_context(analysis, scored)
    if format is ReportFormat.html:
        text = report_html(scored, context, templates, trend=trend_points)
    elif format is ReportFormat.md:
        text = report_markdown(scored, context, templates)
    else:
        text = report_json(scored, context)
    emit(text, out)
    return 0


@app.command("export")
def export_command(
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan to enforce.")],
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="importlinter (write it as .importlinter) or tach (tach.toml), at the "
            "analyzed project's root.",
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> int:
    """Contracts that enforce the plan's boundaries with import-linter or tach."""
    plan = read_plan(plan_file, check_dependencies=False)
    try:
        text = export_config(plan, format.value)
    except ExportError as problem:
        raise ConfigError(str(plan_file), list(problem.problems)) from None
    emit(text, out)
    return 0


# ---------------------------------------------------------------------------- entry point


def error(message: str) -> None:
    print(f"monocut: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and map every outcome to an exit code (0 ok, 1 check failed, 2 bad input)."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="monocut", standalone_mode=False)
    except typer.Exit as exit_:
        return exit_.exit_code
    except typer.Abort:
        error("aborted")
        return 2
    except CLICK_ERROR as problem:
        error(problem.format_message().splitlines()[0])
        return 2
    except (PlanError, ConfigError) as problem:
        if len(problem.problems) == 1:
            error(f"{problem.source}: {problem.problems[0]}")
        else:
            error(f"{problem.source}: {len(problem.problems)} problems")
            for line in problem.problems:
                print(f"  - {line}", file=sys.stderr)
        return 2
    except (UserError, DiscoveryError, AnalysisError) as problem:
        error(str(problem))
        return 2
    except ValueError as problem:
        error(str(problem))
        return 2
    except jinja2.TemplateError as problem:
        where = f" in {problem.name}, line {problem.lineno}" if hasattr(problem, "lineno") else ""
        error(f"template error{where}: {problem.message or problem}")
        return 2
    except OSError as problem:
        target = f"{problem.filename}: " if problem.filename else ""
        error(f"{target}{problem.strerror or problem}")
        return 2
    except KeyboardInterrupt:
        error("interrupted")
        return 2
    except Exception as problem:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("MONOCUT_DEBUG"):
            raise
        error(
            f"internal error: {type(problem).__name__}: {problem} (set MONOCUT_DEBUG=1 for details)"
        )
        return 2
    return result if isinstance(result, int) else 0


from monocut import gate  # noqa: E402  (gate imports this module's options)

app.command("check")(gate.check_command)

from monocut import trend  # noqa: E402  (trend imports this module's options)

app.command("trend")(trend.trend_command)


if __name__ == "__main__":
    sys.exit(main())
