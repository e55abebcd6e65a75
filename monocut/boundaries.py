"""The analysis mapped onto the plan's boundaries as SARIF wants them: one record per site.

For every (from module, to module, kind) crossing between services of the plan
(analyzer.baseline.crossing_dependencies), each place in the code that makes it: the import
statements, the calls, the wiring references (their lines), and, for inheritance, the file
(line 0: the class statement's line is not kept per base). A crossing between two services
that sit on one cycle of the service dependency graph is flagged `cycle`.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from analyzer.baseline import crossing_dependencies
from analyzer.metrics import service_dependency_graph
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan
from generators.sarif import BoundaryCrossing


def boundary_crossings(analysis: Analysis, plan: DecompositionPlan) -> list[BoundaryCrossing]:
    known = set(analysis.modules)
    partition = {m: s for m, s in plan.partition().items() if m in known}
    keys = crossing_dependencies(analysis, partition)
    wanted = {(k.from_module, k.to_module, k.kind) for k in keys}
    lines: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for item in analysis.imports.resolved:
        for target in item.depended_modules:
            key = (item.importer, target, "import")
            if key in wanted:
                lines[key].add(item.fact.line)
    for call in analysis.calls.calls:
        key = (call.caller_module, call.callee_module, "call")
        if key in wanted:
            lines[key].add(call.line)
    for link in analysis.wiring:
        key = (link.source, link.target_module, "wiring")
        if key in wanted:
            lines[key].add(link.line)
    graph = service_dependency_graph(analysis.dependencies, partition)
    on_cycle: dict[str, int] = {}
    for number, component in enumerate(nx.strongly_connected_components(graph)):
        if len(component) > 1:
            on_cycle.update(dict.fromkeys(component, number))
    relpaths = {f.module: f.relpath for f in analysis.facts}
    found: list[BoundaryCrossing] = []
    for key in sorted(wanted):
        source, target, kind = key
        a, b = partition[source], partition[target]
        cycle = a in on_cycle and on_cycle.get(a) == on_cycle.get(b)
        for line in sorted(lines.get(key) or {0}):
            found.append(
                BoundaryCrossing(a, b, source, target, kind, relpaths[source], line, cycle)
            )
    return found
