"""Turn an Analysis (and a plan) into the plain summaries that reports and the CLI print."""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from analyzer import explain
from analyzer.metrics import METRIC_DEFINITIONS, CrossCall, fold_constructors
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan
from analyzer.planning import coupling_of, cross_calls
from analyzer.signals.combine import Coupling, CouplingWeights
from analyzer.signals.data import model_ownership
from generators.report import (
    BoundaryCall,
    CallSites,
    CrossingDependency,
    DependencyExplanation,
    ReportContext,
    ServiceCalls,
    ServiceExplanation,
)
from monocut.signals_view import signal_summary

MAX_CROSSINGS = 30


def import_cycles(graph: nx.DiGraph) -> tuple[tuple[str, ...], ...]:
    """Groups of modules that import each other (strongly connected components above size 1)."""
    components = (sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)
    return tuple(tuple(c) for c in sorted(components))


def call_sites(analysis: Analysis) -> CallSites:
    """How the call sites of the code resolved: internal, only external, unknown."""
    sites = analysis.calls.sites
    return CallSites(sites.internal, sites.external, sites.unresolved)


def folded_calls(analysis: Analysis) -> list[CrossCall]:
    """Every internal call, one per caller, callee and line, an instantiation counted once (as
    a call of the class, see analyzer.metrics.fold_constructors)."""
    return fold_constructors(cross_calls(analysis))


def module_calls(analysis: Analysis) -> tuple[tuple[str, str, int], ...]:
    """(caller module, callee module, calls) for every pair of different modules, most calls
    first, then by name. A call is a caller, callee and line; an instantiation counts once."""
    counts = Counter(
        (c.caller_module, c.callee_module)
        for c in folded_calls(analysis)
        if c.caller_module != c.callee_module
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple((caller, callee, count) for (caller, callee), count in ranked)


def crossing_dependencies(
    analysis: Analysis, plan: DecompositionPlan, limit: int = MAX_CROSSINGS
) -> tuple[CrossingDependency, ...]:
    """The heaviest module dependencies whose ends sit in different services."""
    partition = plan.partition()
    crossings = [
        CrossingDependency(partition[u], partition[v], u, v, round(d["weight"], 4))
        for u, v, d in analysis.dependencies.edges(data=True)
        if u in partition and v in partition and partition[u] != partition[v]
    ]
    crossings.sort(key=lambda c: (-c.weight, c.source_module, c.target_module))
    return tuple(crossings[:limit])


def service_calls(analysis: Analysis, plan: DecompositionPlan) -> tuple[ServiceCalls, ...]:
    """Per pair of services (caller's -> callee's), every call that crosses between them.

    Calls from or to the shared library cross no boundary. Pairs come most calls first, then
    by name; within a pair, each distinct caller -> callee with the caller's file and the
    sorted lines of its calls, sorted by caller and callee.
    """
    partition = plan.partition()
    files = {f.module: f.relpath for f in analysis.facts}
    lines: dict[tuple[str, str], dict[tuple[str, str, str], set[int]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for call in folded_calls(analysis):
        source = partition.get(call.caller_module)
        target = partition.get(call.callee_module)
        if source is None or target is None or source == target:
            continue
        file = files.get(call.caller_module, call.caller_module)
        lines[(source, target)][(call.caller, call.callee, file)].add(call.line)
    pairs = [
        ServiceCalls(
            source_service=source,
            target_service=target,
            count=sum(len(at) for at in calls.values()),
            calls=tuple(
                BoundaryCall(caller, callee, file, tuple(sorted(at)))
                for (caller, callee, file), at in sorted(calls.items())
            ),
        )
        for (source, target), calls in lines.items()
    ]
    pairs.sort(key=lambda p: (-p.count, p.source_service, p.target_service))
    return tuple(pairs)


def plan_coupling(analysis: Analysis, plan: DecompositionPlan) -> Coupling:
    """The signals as the plan was made with them (its recorded weights and layout mode)."""
    recorded = plan.settings.get("weights")
    known = set(CouplingWeights.names())
    weights = (
        CouplingWeights(**{k: v for k, v in recorded.items() if k in known})
        if isinstance(recorded, dict)
        else CouplingWeights()
    )
    return coupling_of(analysis, weights, use_layout=bool(plan.settings.get("use_layout", True)))


def explanations(
    analysis: Analysis, plan: DecompositionPlan, coupling: Coupling
) -> dict[str, tuple]:
    """Why the plan is what it is: per service, per service dependency, per data model, and
    against the folder layout."""
    partition = plan.partition()
    ownership = model_ownership(analysis.data, partition)
    cohesion = explain.service_cohesion(coupling.graph, partition, ownership, analysis.facts)
    dependencies = explain.service_dependencies(analysis.dependencies, partition)
    moves, splits = explain.layout_disagreements(analysis.facts, partition, coupling.graph)
    return {
        "service_explanations": tuple(
            ServiceExplanation(
                c.service, tuple((x.signal, x.share) for x in c.signals), c.models, c.terms
            )
            for c in cohesion
        ),
        "dependency_explanations": tuple(
            DependencyExplanation(
                d.source, d.target, d.weight, tuple(d.kinds.items()), d.pairs, d.examples
            )
            for d in dependencies
        ),
        "models": ownership,
        "move_candidates": moves,
        "split_packages": splits,
    }


def report_context(
    analysis: Analysis,
    plan: DecompositionPlan,
    coupling: Coupling | None = None,
    stability: float | None = None,
) -> ReportContext:
    third_party = {name for names in analysis.third_party_imports().values() for name in names}
    _, undeclared = analysis.requirements.resolve(third_party)
    coupling = coupling or plan_coupling(analysis, plan)
    return ReportContext(
        modules=len(analysis.facts),
        code_lines=sum(f.code_lines for f in analysis.facts),
        import_edges=analysis.imports.graph.number_of_edges(),
        import_cycles=import_cycles(analysis.imports.graph),
        call_sites=call_sites(analysis),
        undeclared_imports=undeclared,
        crossings=crossing_dependencies(analysis, plan),
        service_calls=service_calls(analysis, plan),
        metric_definitions=METRIC_DEFINITIONS,
        stability=stability,
        signal_summary=signal_summary(analysis, coupling),
        module_lines={f.module: f.code_lines for f in analysis.facts},
        module_dependencies=tuple(
            sorted(
                (u, v, round(float(d.get("weight", 1.0)), 4))
                for u, v, d in analysis.dependencies.edges(data=True)
                if u != v
            )
        ),
        **explanations(analysis, plan, coupling),
    )
