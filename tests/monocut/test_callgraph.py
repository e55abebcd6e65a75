"""The outputs of `monocut callgraph`: node kinds, DOT, GraphML and the summary."""

from __future__ import annotations

import json

import networkx as nx

from generators.report import CallSites
from monocut.callgraph import (
    callgraph_dot,
    callgraph_graphml,
    json_text,
    node_kinds,
    summary_data,
    summary_text,
)

ADJACENCY = {
    "main": ["<builtin>.print", "main.<lambda1>", "main.f", "requests.get"],
    "main.<lambda1>": ["<**PyStr**>.join"],
    "main.f": ['pkg.we"ird\\name'],
    "pkg": [],
    'pkg.we"ird\\name': ["os.path.join"],
}
MODULES = ("main", "pkg")


def test_node_kinds() -> None:
    assert node_kinds(ADJACENCY, MODULES) == {
        "<**PyStr**>.join": "builtin",
        "<builtin>.print": "builtin",
        "main": "module",
        "main.<lambda1>": "function",
        "main.f": "function",
        "os.path.join": "external",
        "pkg": "module",
        'pkg.we"ird\\name': "function",
        "requests.get": "external",
    }


def test_dot_is_sorted_and_escaped() -> None:
    text = callgraph_dot(ADJACENCY, MODULES)
    assert text.startswith("digraph callgraph {\n") and text.endswith("}\n")
    assert '  "main" [kind="module"];' in text
    assert '  "<**PyStr**>.join" [kind="builtin"];' in text
    assert '  "pkg.we\\"ird\\\\name" [kind="function"];' in text
    assert '  "main.f" -> "pkg.we\\"ird\\\\name";' in text
    edges = [line for line in text.splitlines() if " -> " in line]
    assert edges == sorted(edges) and len(edges) == 7
    assert text == callgraph_dot(dict(reversed(ADJACENCY.items())), MODULES[::-1])


def test_graphml_round_trips_with_kinds() -> None:
    text = callgraph_graphml(ADJACENCY, MODULES)
    graph = nx.parse_graphml(text)
    assert dict(graph.nodes(data="kind")) == node_kinds(ADJACENCY, MODULES)
    assert set(graph.edges) == {(u, v) for u, vs in ADJACENCY.items() for v in vs}
    assert text == callgraph_graphml(dict(reversed(ADJACENCY.items())), MODULES)


def test_summary_text_and_data() -> None:
    between = (("a", "b", 12), ("b", "c", 3))
    sites = CallSites(internal=6, external=3, unresolved=1)
    assert summary_text(between, sites) == (
        "calls between modules: 15 calls over 2 module pairs\n"
        "  12  a -> b\n"
        "   3  b -> c\n"
        "call sites: 10: 6 (60.0%) resolved to internal code, 3 (30.0%) only to builtins or "
        "external code, 1 (10.0%) unknown\n"
    )
    data = json.loads(json_text(summary_data(between, sites), sort_keys=False))
    assert data == {
        "modules": [
            {"caller": "a", "callee": "b", "calls": 12},
            {"caller": "b", "callee": "c", "calls": 3},
        ],
        "sites": {"internal": 6, "external": 3, "unresolved": 1, "total": 10},
    }


def test_empty_summary() -> None:
    assert summary_text((), CallSites()).startswith("calls between modules: 0 calls over 0")
