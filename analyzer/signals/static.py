"""Coupling signals between modules and their combination into weighted graphs.

Two graphs come out of this stage:

- the *dependency graph* (directed, code only): u -> v when u imports, calls or subclasses
  something of v. Metrics are computed on it, because a metric should judge the code, not
  the folder layout.
- the *affinity graph* (undirected): the dependency weights of both directions summed, plus,
  unless the layout is ignored, a tie between modules of the same package. Clustering runs on it.

Each edge keeps the contribution of every signal in `signals`, so a module's assignment can be
explained by the edges that tied it there.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from analyzer.facts import ImportKind, ModuleFacts


@dataclass(frozen=True)
class SignalWeights:
    """How much each kind of evidence ties two modules together.

    An import's weight depends on its kind: a TYPE_CHECKING import is no runtime dependency
    and a lazy or optional import is a weaker one. Repeated evidence grows logarithmically so
    that one chatty pair of modules cannot dominate the graph.
    """

    import_top_level: float = 1.0
    import_function: float = 0.7
    import_fallback: float = 0.5
    import_type_checking: float = 0.25
    call: float = 0.3
    inheritance: float = 0.8
    wiring: float = 0.8
    layout: float = 1.0

    def import_weight(self, kind: str) -> float:
        return {
            ImportKind.TOP_LEVEL.value: self.import_top_level,
            ImportKind.FUNCTION.value: self.import_function,
            ImportKind.FALLBACK.value: self.import_fallback,
            ImportKind.TYPE_CHECKING.value: self.import_type_checking,
        }[kind]


def saturating(count: int) -> float:
    """1 for one occurrence, growing as 1 + ln(count) after that."""
    return 0.0 if count <= 0 else 1.0 + math.log(count)


def dependency_graph(
    modules: Iterable[str],
    imports: nx.DiGraph,
    call_counts: Mapping[tuple[str, str], int],
    inheritance: Mapping[tuple[str, str], int],
    weights: SignalWeights = SignalWeights(),
    wiring: Mapping[tuple[str, str], int] | None = None,
) -> nx.DiGraph:
    """The directed, weighted module dependency graph from imports, calls, inheritance and
    framework wiring (references by string: see analyzer.signals.wiring)."""
    signals: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for source, target, data in imports.edges(data=True):
        kinds: Mapping[str, int] = data.get("kinds", {})
        strongest = max((weights.import_weight(k) for k in kinds), default=0.0)
        signals[(source, target)]["import"] = strongest * saturating(data.get("statements", 1))
    for pair, count in call_counts.items():
        signals[pair]["call"] = weights.call * saturating(count)
    for pair, count in inheritance.items():
        signals[pair]["inheritance"] = weights.inheritance * saturating(count)
    for pair, count in (wiring or {}).items():
        signals[pair]["wiring"] = weights.wiring * saturating(count)
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(modules))
    for (source, target), parts in sorted(signals.items()):
        if source == target or source not in graph or target not in graph:
            continue
        rounded = {k: round(v, 6) for k, v in sorted(parts.items())}
        graph.add_edge(source, target, weight=round(sum(rounded.values()), 6), signals=rounded)
    return graph


def package_of(module: str, is_package: bool) -> str:
    """The package whose folder holds a module's file (a package's own `__init__` included)."""
    return module if is_package else module.rpartition(".")[0]


CLIQUE_LIMIT = 64


def layout_ties(
    facts: Iterable[ModuleFacts], weight: float, parent_share: float = 0.5
) -> dict[tuple[str, str], float]:
    """Ties from the folder layout, so that each module's ties sum to about `weight`.

    Modules of one package are tied pairwise, `weight / (n - 1)` each; a package of more than
    CLIQUE_LIMIT modules is tied as a star around its `__init__` (or first module) instead, to
    stay linear on huge packages. Each package is also tied to its parent package with
    `parent_share * weight`, so sibling packages too small to stand alone still hang together;
    not to a top-level package, which is the whole application rather than a grouping.
    """
    modules = {f.module: f for f in facts}
    groups: dict[str, list[str]] = defaultdict(list)
    for module_facts in modules.values():
        package = package_of(module_facts.module, module_facts.is_package)
        if package:
            groups[package].append(module_facts.module)
    ties: dict[tuple[str, str], float] = {}

    def tie(first: str, second: str, value: float) -> None:
        if first != second:
            pair = (first, second) if first < second else (second, first)
            ties[pair] = ties.get(pair, 0.0) + value

    for package, members in sorted(groups.items()):
        members.sort()
        if len(members) > CLIQUE_LIMIT:
            hub = package if package in modules else members[0]
            for member in members:
                tie(member, hub, weight)
        elif len(members) > 1:
            share = weight / (len(members) - 1)
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    tie(first, second, share)
        parent = package.rpartition(".")[0]
        if parent_share and package in modules and "." in parent and parent in modules:
            tie(package, parent, parent_share * weight)
    return dict(sorted(ties.items()))


def affinity_graph(
    dependencies: nx.DiGraph,
    facts: Iterable[ModuleFacts],
    weights: SignalWeights = SignalWeights(),
    use_layout: bool = True,
) -> nx.Graph:
    """Undirected graph for clustering: dependency weight both ways, plus package layout."""
    facts = tuple(facts)
    signals: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for source, target, data in dependencies.edges(data=True):
        pair = (source, target) if source < target else (target, source)
        for name, value in data["signals"].items():
            signals[pair][name] += value
    if use_layout:
        for pair, value in layout_ties(facts, weights.layout).items():
            signals[pair]["layout"] += value
    graph = nx.Graph()
    graph.add_nodes_from(sorted(dependencies.nodes))
    for (first, second), parts in sorted(signals.items()):
        rounded = {k: round(v, 6) for k, v in sorted(parts.items())}
        graph.add_edge(first, second, weight=round(sum(rounded.values()), 6), signals=rounded)
    return graph
