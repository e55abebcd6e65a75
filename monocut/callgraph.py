"""The outputs of `monocut callgraph`: the function-level graph as JSON, DOT or GraphML, and
the module-level summary as text or JSON (see docs/callgraph-format.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from generators.report import CallSites
from monocut.output import call_sites_line, dot_id

BUILTIN = re.compile(r"<builtin>\.|<\*\*Py\w+\*\*>\.")


def json_text(data: object, sort_keys: bool = True) -> str:
    return json.dumps(data, indent=2, sort_keys=sort_keys) + "\n"


def node_kinds(adjacency: Mapping[str, Sequence[str]], modules: Iterable[str]) -> dict[str, str]:
    """Every node of the graph (sorted) -> module, function, builtin or external.

    Keys are the analyzed modules and functions; a name that is only a callee is a builtin
    (`<builtin>.len`, `<**PyStr**>.join`) or external (`requests.get`).
    """
    module_names = set(modules)
    kinds: dict[str, str] = {}
    for key in adjacency:
        kinds[key] = "module" if key in module_names else "function"
    for callees in adjacency.values():
        for callee in callees:
            if callee not in kinds:
                kinds[callee] = "builtin" if BUILTIN.match(callee) else "external"
    return dict(sorted(kinds.items()))


def _edges(adjacency: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    return sorted((caller, callee) for caller, callees in adjacency.items() for callee in callees)


def callgraph_dot(adjacency: Mapping[str, Sequence[str]], modules: Iterable[str]) -> str:
    """The graph for Graphviz: every node with its `kind`, every edge, all sorted."""
    body = [f"  {dot_id(n)} [kind={dot_id(k)}];" for n, k in node_kinds(adjacency, modules).items()]
    body += [f"  {dot_id(u)} -> {dot_id(v)};" for u, v in _edges(adjacency)]
    return "digraph callgraph {\n" + "\n".join(body) + "\n}\n"


def callgraph_graphml(adjacency: Mapping[str, Sequence[str]], modules: Iterable[str]) -> str:
    """The graph as GraphML (written by networkx): node attribute `kind`, sorted."""
    graph = nx.DiGraph()
    for node, kind in node_kinds(adjacency, modules).items():
        graph.add_node(node, kind=kind)
    graph.add_edges_from(_edges(adjacency))
    return "\n".join(nx.generate_graphml(graph)) + "\n"


def summary_data(module_calls: Sequence[tuple[str, str, int]], sites: CallSites) -> dict:
    """The summary as plain data: calls between modules (most first) and the call sites."""
    return {
        "modules": [
            {"caller": caller, "callee": callee, "calls": count}
            for caller, callee, count in module_calls
        ],
        "sites": sites.as_dict(),
    }


def summary_text(module_calls: Sequence[tuple[str, str, int]], sites: CallSites) -> str:
    """The summary as plain text (no wrapping, no markup: it is the command's output)."""
    total = sum(count for _, _, count in module_calls)
    lines = [f"calls between modules: {total} calls over {len(module_calls)} module pairs"]
    width = max((len(str(count)) for _, _, count in module_calls), default=1)
    lines += [f"  {count:>{width}}  {caller} -> {callee}" for caller, callee, count in module_calls]
    lines.append(call_sites_line(sites))
    return "\n".join(lines) + "\n"
