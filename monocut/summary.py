"""Turn an Analysis and a plan into the plain ReportContext the report generators read."""

from __future__ import annotations

import networkx as nx

from analyzer.metrics import METRIC_DEFINITIONS
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan
from generators.report import CrossingDependency, ReportContext

MAX_CROSSINGS = 30


def import_cycles(graph: nx.DiGraph) -> tuple[tuple[str, ...], ...]:
    """Groups of modules that import each other (strongly connected components above size 1)."""
    components = (sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)
    return tuple(tuple(c) for c in sorted(components))


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


def report_context(analysis: Analysis, plan: DecompositionPlan) -> ReportContext:
    third_party = {name for names in analysis.third_party_imports().values() for name in names}
    _, undeclared = analysis.requirements.resolve(third_party)
    return ReportContext(
        modules=len(analysis.facts),
        code_lines=sum(f.code_lines for f in analysis.facts),
        import_edges=analysis.imports.graph.number_of_edges(),
        import_cycles=import_cycles(analysis.imports.graph),
        calls_resolved=len(analysis.calls.calls),
        calls_external=analysis.calls.external,
        calls_unresolved=analysis.calls.unresolved,
        undeclared_imports=undeclared,
        crossings=crossing_dependencies(analysis, plan),
        metric_definitions=METRIC_DEFINITIONS,
    )
