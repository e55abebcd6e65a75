"""From the affinity graph to services: clustering, the shared library, names and reasons.

The algorithm sits behind one function, `cluster_modules`, that takes the graphs and
ClusterSettings and returns a Clustering; later algorithms can be added behind it.

Louvain (Blondel et al. 2008, networkx's seeded implementation) is run on the undirected
affinity graph. Hub modules that most clusters depend on (configuration, database access,
utilities) distort any community search and belong in no single service, so they are taken out
as a shared library and the remaining modules are clustered again, until the shared set is
stable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from analyzer.plan import dns_label

MAX_SHARED_ROUNDS = 4
REASONS_PER_MODULE = 3


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of the clustering, recorded in the plan's settings.

    `shared_threshold`: a module is shared when modules of at least this share of the *other*
    clusters depend on it (and at least `shared_min_clusters` of them).
    `min_service_modules`: smaller clusters are merged into the cluster they are most tied to.
    """

    resolution: float = 1.0
    seed: int = 42
    shared_threshold: float = 0.5
    shared_min_clusters: int = 3
    min_service_modules: int = 2

    def as_dict(self) -> dict[str, float | int]:
        return {
            "resolution": self.resolution,
            "seed": self.seed,
            "shared_threshold": self.shared_threshold,
            "shared_min_clusters": self.shared_min_clusters,
            "min_service_modules": self.min_service_modules,
        }


@dataclass(frozen=True)
class Clustering:
    """Services (name -> sorted modules), the shared library, and why each module is where it is."""

    services: Mapping[str, tuple[str, ...]]
    shared: tuple[str, ...]
    reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def partition(self) -> dict[str, str]:
        return {m: name for name, modules in self.services.items() for m in modules}


def louvain_labels(graph: nx.Graph, settings: ClusterSettings) -> dict[str, int]:
    """Module -> community number, deterministic for a seed (nodes are visited in sorted order)."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_weighted_edges_from(
        sorted((u, v, d["weight"]) for u, v, d in graph.edges(data=True) if d["weight"] > 0)
    )
    communities = nx.community.louvain_communities(
        ordered, weight="weight", resolution=settings.resolution, seed=settings.seed
    )
    ranked = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    return {module: number for number, members in enumerate(ranked) for module in members}


def shared_candidates(
    dependencies: nx.DiGraph, labels: Mapping[str, int], settings: ClusterSettings
) -> set[str]:
    """Modules depended upon from most clusters other than their own."""
    clusters = set(labels.values())
    needed = max(settings.shared_min_clusters, settings.shared_threshold * (len(clusters) - 1))
    shared = set()
    for module, own in labels.items():
        users = {
            labels[user]
            for user in dependencies.predecessors(module)
            if user in labels and labels[user] != own
        }
        if len(users) >= needed:
            shared.add(module)
    return shared


def close_shared(dependencies: nx.DiGraph, shared: set[str]) -> set[str]:
    """Add modules used only by shared modules: the shared library must stand on its own."""
    closed = set(shared)
    changed = True
    while changed:
        changed = False
        for module in sorted(set(dependencies.nodes) - closed):
            users = set(dependencies.predecessors(module)) - {module}
            if users and users <= closed:
                closed.add(module)
                changed = True
    return closed


def merge_small_clusters(graph: nx.Graph, labels: dict[str, int], minimum: int) -> dict[str, int]:
    """Fold clusters below `minimum` modules into the cluster they share the most weight with."""
    labels = dict(labels)
    while True:
        sizes = Counter(labels.values())
        small = sorted((size, label) for label, size in sizes.items() if size < minimum)
        merged = False
        for _, label in small:
            members = sorted(m for m, lab in labels.items() if lab == label)
            ties: Counter[int] = Counter()
            for module in members:
                for peer, data in graph[module].items():
                    if peer in labels and labels[peer] != label:
                        ties[labels[peer]] += data["weight"]
            if not ties:
                continue
            target = min(ties, key=lambda lab: (-ties[lab], lab))
            for module in members:
                labels[module] = target
            merged = True
            break
        if not merged:
            return labels


def service_names(clusters: Mapping[int, list[str]], lines: Mapping[str, int]) -> dict[int, str]:
    """A unique DNS-1123 name per cluster from the dominant package name of its modules.

    The package part common to every module of the project is dropped first, so in a project
    whose code all lives under `shop/`, `shop.orders.service` votes for `orders`. Votes are
    weighted by lines of code.
    """
    everything = [m for members in clusters.values() for m in members]
    common = _common_prefix(everything)
    names: dict[int, str] = {}
    taken: set[str] = set()
    for number in sorted(clusters, key=lambda n: (-len(clusters[n]), n)):
        votes: Counter[str] = Counter()
        for module in clusters[number]:
            votes[_domain_word(module, common)] += max(lines.get(module, 1), 1)
        ranked = sorted(votes, key=lambda word: (-votes[word], word))
        name = next((dns_label(w) for w in ranked if dns_label(w) not in taken), None)
        if name is None:
            base = dns_label(ranked[0])
            suffix = 2
            while f"{base}-{suffix}" in taken:
                suffix += 1
            name = f"{base}-{suffix}"
        taken.add(name)
        names[number] = name
    return names


def _common_prefix(modules: list[str]) -> list[str]:
    split = [m.split(".") for m in modules]
    prefix: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return prefix


def _domain_word(module: str, common: list[str]) -> str:
    parts = module.split(".")[len(common) :]
    if parts and parts[0] not in ("__main__", "__init__"):
        return parts[0]
    return common[-1] if common else "app"


def reasons_for(
    graph: nx.Graph, module: str, same_group: Iterable[str], limit: int = REASONS_PER_MODULE
) -> tuple[str, ...]:
    """The strongest edges tying `module` to the other members of its group, in words."""
    members = set(same_group) - {module}
    edges = sorted(
        (
            (data["weight"], peer, data["signals"])
            for peer, data in graph[module].items()
            if peer in members
        ),
        key=lambda edge: (-edge[0], edge[1]),
    )
    return tuple(
        f"{peer}: " + ", ".join(f"{name} {value:.2f}" for name, value in signals.items())
        for _, peer, signals in edges[:limit]
    )


def shared_reasons(
    dependencies: nx.DiGraph, partition: Mapping[str, str], shared: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Why each shared module is shared: which services depend on it."""
    reasons: dict[str, tuple[str, ...]] = {}
    for module in sorted(shared):
        users = sorted({partition[u] for u in dependencies.predecessors(module) if u in partition})
        shared_users = sorted(
            u for u in dependencies.predecessors(module) if u not in partition and u != module
        )
        text = [f"used by {len(users)} services: {', '.join(users)}"] if users else []
        if shared_users:
            text.append(f"used by shared modules: {', '.join(shared_users[:5])}")
        reasons[module] = tuple(text) or ("used by no service",)
    return reasons


def cluster_modules(
    affinity: nx.Graph,
    dependencies: nx.DiGraph,
    lines: Mapping[str, int],
    settings: ClusterSettings = ClusterSettings(),
) -> Clustering:
    """Cluster modules into named services plus a shared library, with reasons."""
    shared: set[str] = set()
    labels: dict[str, int] = {}
    for _ in range(MAX_SHARED_ROUNDS):
        remaining = affinity.subgraph(sorted(set(affinity.nodes) - shared))
        labels = louvain_labels(remaining, settings)
        found = close_shared(
            dependencies, shared | shared_candidates(dependencies, labels, settings)
        )
        if found <= shared:
            break
        shared = found
        labels = {m: lab for m, lab in labels.items() if m not in shared}
    labels = {m: lab for m, lab in labels.items() if m not in shared}
    labels = merge_small_clusters(affinity, labels, settings.min_service_modules)
    clusters: dict[int, list[str]] = defaultdict(list)
    for module, label in sorted(labels.items()):
        clusters[label].append(module)
    names = service_names(clusters, lines)
    services = {names[n]: tuple(sorted(members)) for n, members in clusters.items()}
    reasons = {
        module: reasons_for(affinity, module, members)
        for members in services.values()
        for module in members
    }
    partition = {m: name for name, members in services.items() for m in members}
    reasons.update(shared_reasons(dependencies, partition, shared))
    return Clustering(
        services=dict(sorted(services.items())),
        shared=tuple(sorted(shared)),
        reasons=dict(sorted(reasons.items())),
    )
