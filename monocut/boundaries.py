"""The analysis mapped onto the plan's boundaries as SARIF wants them: one record per site.

For every (from module, to module, kind) crossing between services of the plan
(analyzer.baseline.crossing_dependencies), each line of the code that makes it
(analyzer.baseline.crossing_lines), or the file alone (line 0) when no line is known, as for
inheritance. A crossing between two services on one cycle of the service dependency graph is
flagged `cycle`.
"""

from __future__ import annotations

import networkx as nx

from analyzer.baseline import crossing_dependencies, crossing_lines
from analyzer.metrics import service_dependency_graph
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan
from generators.sarif import BoundaryCrossing


def boundary_crossings(analysis: Analysis, plan: DecompositionPlan) -> list[BoundaryCrossing]:
    known = set(analysis.modules)
    partition = {m: s for m, s in plan.partition().items() if m in known}
    keys = crossing_dependencies(analysis, partition)
    lines = crossing_lines(analysis, keys)
    graph = service_dependency_graph(analysis.dependencies, partition)
    cycle_of: dict[str, int] = {}
    for number, component in enumerate(nx.strongly_connected_components(graph)):
        if len(component) > 1:
            cycle_of.update(dict.fromkeys(component, number))
    relpaths = {f.module: f.relpath for f in analysis.facts}
    found: list[BoundaryCrossing] = []
    for key in keys:
        source, target = partition[key.from_module], partition[key.to_module]
        cycle = source in cycle_of and cycle_of[source] == cycle_of.get(target)
        for line in sorted(lines.get(key) or {0}):
            found.append(
                BoundaryCrossing(
                    source,
                    target,
                    key.from_module,
                    key.to_module,
                    key.kind,
                    relpaths[key.from_module],
                    line,
                    cycle,
                )
            )
    return found
