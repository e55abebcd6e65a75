"""Analysis + a module partition -> a complete, scored DecompositionPlan.

The same function scores a freshly clustered partition and a hand-edited plan, so `monocut
score` reproduces the metrics of `monocut plan` exactly when nothing was edited.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analyzer.cluster import Clustering, ClusterSettings, cluster_modules, plan_stability
from analyzer.metrics import (
    CrossCall,
    compute_metrics,
    interface_functions,
    service_dependency_graph,
)
from analyzer.pipeline import Analysis
from analyzer.plan import (
    FIRST_PORT,
    DecompositionPlan,
    PlanError,
    Service,
    SharedLibrary,
    SourceInfo,
    UnparseableFile,
    plan_problems,
)
from analyzer.signals.combine import Coupling, CouplingWeights, combine_signals


def cross_calls(analysis: Analysis) -> tuple[CrossCall, ...]:
    """Every resolved internal call (instantiations included), as the metrics module expects
    it: with its caller and line, so that an instantiation and the constructor it runs can be
    told apart from other calls (see analyzer.metrics.fold_constructors)."""
    return tuple(
        CrossCall(
            caller_module=c.caller_module,
            callee_module=c.callee_module,
            callee=c.callee,
            caller=c.caller,
            line=c.line,
            instantiates=c.instantiates,
        )
        for c in analysis.calls.calls
    )


def source_info(analysis: Analysis, plan_dir: Path, python_version: str) -> SourceInfo:
    """Where the code is, relative to the directory the plan is written to."""
    root = Path(os.path.relpath(analysis.root.resolve(), plan_dir.resolve())).as_posix()
    return SourceInfo(
        root=root,
        package_roots=analysis.package_roots,
        git_commit=analysis.git_commit,
        python_version=python_version,
    )


def build_plan(
    analysis: Analysis,
    services: Mapping[str, Sequence[str]],
    shared: Sequence[str],
    *,
    plan_dir: Path,
    python_version: str = "3.11",
    settings: Mapping[str, Any] | None = None,
    reasons: Mapping[str, tuple[str, ...]] | None = None,
    ports: Mapping[str, int] | None = None,
) -> DecompositionPlan:
    """Score a partition and derive each service's API, dependencies and requirements."""
    reasons = reasons or {}
    partition = {m: name for name, modules in services.items() for m in modules}
    calls = cross_calls(analysis)
    plan_metrics, per_service = compute_metrics(analysis.dependencies, partition, calls)
    service_graph = service_dependency_graph(analysis.dependencies, partition)
    interfaces = interface_functions(calls, partition)
    third_party = analysis.third_party_imports()
    lines = analysis.code_lines()
    names = sorted(services)
    built: list[Service] = []
    for number, name in enumerate(names):
        modules = tuple(sorted(services[name]))
        requirements, _ = analysis.requirements.resolve(
            {pkg for m in modules for pkg in third_party.get(m, ())}
        )
        metrics = per_service[name].as_dict() if name in per_service else {}
        built.append(
            Service(
                name=name,
                modules=modules,
                port=(ports or {}).get(name, FIRST_PORT + number),
                api=tuple(sorted(interfaces.get(name, ()))),
                depends_on=tuple(sorted(service_graph.successors(name)))
                if name in service_graph
                else (),
                requirements=requirements,
                entry_points=tuple(
                    str(e) for e in analysis.entry_points if e.module in set(modules)
                ),
                lines=sum(lines.get(m, 0) for m in modules),
                reasons={m: tuple(reasons[m]) for m in modules if m in reasons},
                metrics=metrics,
            )
        )
    shared_requirements, _ = analysis.requirements.resolve(
        {pkg for m in shared for pkg in third_party.get(m, ())}
    )
    return DecompositionPlan(
        source=source_info(analysis, plan_dir, python_version),
        services=tuple(built),
        shared=SharedLibrary(
            modules=tuple(sorted(shared)),
            requirements=shared_requirements,
            reasons={m: tuple(reasons[m]) for m in sorted(shared) if m in reasons},
        ),
        settings=dict(settings or {}),
        metrics=plan_metrics.as_dict(),
        unparseable=tuple(
            sorted(
                (
                    *(UnparseableFile(p.relpath, p.reason) for p in analysis.problems),
                    *(UnparseableFile(path, reason) for path, reason in analysis.partial),
                ),
                key=lambda item: item.path,
            )
        ),
    )


def coupling_of(
    analysis: Analysis, weights: CouplingWeights = CouplingWeights(), use_layout: bool = True
) -> Coupling:
    """Every coupling signal of the analysis, normalized, and the combined similarity."""
    return combine_signals(
        analysis.facts,
        analysis.dependencies,
        analysis.data,
        analysis.cochange.strengths,
        weights,
        use_layout=use_layout,
    )


def propose_plan(
    analysis: Analysis,
    cluster_settings: ClusterSettings = ClusterSettings(),
    *,
    plan_dir: Path,
    use_layout: bool = True,
    weights: CouplingWeights = CouplingWeights(),
    python_version: str = "3.11",
    recorded_settings: Mapping[str, Any] | None = None,
    coupling: Coupling | None = None,
) -> tuple[DecompositionPlan, Clustering]:
    """Combine the signals (unless `coupling` already holds them, made with these weights and
    layout mode), cluster, and turn the clusters into a scored plan."""
    coupling = coupling or coupling_of(analysis, weights, use_layout)
    packages = [f.module for f in analysis.facts if f.is_package]
    clustering = cluster_modules(
        coupling.graph,
        analysis.dependencies,
        analysis.code_lines(),
        cluster_settings,
        packages=packages,
        use_layout=use_layout,
    )
    settings = {
        **(recorded_settings or {}),
        **cluster_settings.as_dict(),
        "use_layout": use_layout,
        "weights": weights.as_dict(),
    }
    plan = build_plan(
        analysis,
        clustering.services,
        clustering.shared,
        plan_dir=plan_dir,
        python_version=python_version,
        settings=settings,
        reasons=clustering.reasons,
    )
    return plan, clustering


def stability_of(
    analysis: Analysis,
    cluster_settings: ClusterSettings = ClusterSettings(),
    *,
    use_layout: bool = True,
    weights: CouplingWeights = CouplingWeights(),
    coupling: Coupling | None = None,
    first: Clustering | None = None,
) -> float:
    """The plan's stability: mean adjusted Rand index of the plans of five seeds. `coupling`
    and `first` (the clustering of the configured seed) are reused when given."""
    coupling = coupling or coupling_of(analysis, weights, use_layout)
    return plan_stability(
        coupling.graph,
        analysis.dependencies,
        analysis.code_lines(),
        cluster_settings,
        packages=[f.module for f in analysis.facts if f.is_package],
        use_layout=use_layout,
        first=first,
    )


def rescore_plan(
    analysis: Analysis, plan: DecompositionPlan, *, plan_dir: Path
) -> DecompositionPlan:
    """Recompute a (possibly hand-edited) plan's metrics, APIs and dependencies from the code.

    Raises PlanError naming every module the plan places that the code does not have.
    """
    problems = plan_problems(plan, analysis.modules, check_dependencies=False)
    if problems:
        raise PlanError("plan", problems)
    services = {s.name: s.modules for s in plan.services}
    reasons = {**plan.shared.reasons}
    for service in plan.services:
        reasons.update(service.reasons)
    return build_plan(
        analysis,
        services,
        plan.shared.modules,
        plan_dir=plan_dir,
        python_version=plan.source.python_version,
        settings=plan.settings,
        reasons=reasons,
        ports={s.name: s.port for s in plan.services},
    )
