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

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from analyzer.plan import dns_label

MAX_SHARED_ROUNDS = 8
REASONS_PER_MODULE = 3
GATEWAY = "gateway"


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of the clustering, recorded in the plan's settings.

    `shared_threshold`: a module is shared when modules of more than this share of the *other*
    clusters depend on it (and at least `shared_min_clusters` of them).
    `min_service_modules`: smaller clusters are merged into the cluster they are most tied to.
    """

    resolution: float = 1.0
    seed: int = 42
    shared_threshold: float = 0.5
    shared_min_clusters: int = 3
    min_service_modules: int = 2

    def clusters_needed(self, cluster_count: int) -> int:
        """Other clusters that make "most": more than `shared_threshold` of them."""
        return max(
            self.shared_min_clusters, math.floor(self.shared_threshold * (cluster_count - 1)) + 1
        )

    def as_dict(self) -> dict[str, float | int]:
        return dataclasses.asdict(self)


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


def _other_clusters(modules: Iterable[str], labels: Mapping[str, int], own: int | None) -> set[int]:
    return {labels[m] for m in modules if m in labels and labels[m] != own}


def shared_candidates(
    dependencies: nx.DiGraph,
    labels: Mapping[str, int],
    shared: set[str],
    settings: ClusterSettings,
) -> set[str]:
    """Infrastructure that belongs to no single service.

    A module is shared when modules of most other clusters depend on it (a hub such as
    configuration or database access), or when it is a utility: it depends on nothing but
    shared modules and is used from at least `shared_min_clusters` clusters. Users outside
    the clusters (shared modules, entry points) are not counted. Every module is judged again
    each round, so one that only looked shared before the entry points were known can leave.
    """
    needed = settings.clusters_needed(len(set(labels.values())))
    found = set()
    for module in sorted(dependencies.nodes):
        own = labels.get(module)
        user_clusters = _other_clusters(dependencies.predecessors(module), labels, own)
        reach = len(user_clusters) + (own is not None)
        utility = set(dependencies.successors(module)) - {module} <= shared
        if len(user_clusters) >= needed or (utility and reach >= settings.shared_min_clusters):
            found.add(module)
    return found


def entry_candidates(
    dependencies: nx.DiGraph,
    labels: Mapping[str, int],
    packages: frozenset[str],
    settings: ClusterSettings,
) -> set[str]:
    """Composition roots: modules that use most clusters and that no service module uses.

    Entry points (`__main__`, an app factory, a CLI, the root URL map) wire every domain
    together; they form the gateway rather than belong to whichever domain they touch most.
    """
    needed = settings.clusters_needed(len(set(labels.values())))
    wiring = {
        module
        for module in sorted(dependencies.nodes)
        if len(_other_clusters(dependencies.successors(module), labels, labels.get(module)))
        >= needed
    }
    changed = True
    while changed:
        changed = False
        for module in sorted(wiring):
            if not all(
                user in wiring or _is_launcher(dependencies, user, wiring, packages)
                for user in dependencies.predecessors(module)
            ):
                wiring.discard(module)
                changed = True
    return wiring


def _is_launcher(
    dependencies: nx.DiGraph, module: str, entry: set[str], packages: frozenset[str]
) -> bool:
    """A thin start script: not a package, used by nobody, using only entry modules.

    A package `__init__` that re-exports a module is that package's facade, not a launcher.
    """
    if module in packages or any(True for _ in dependencies.predecessors(module)):
        return False
    uses = set(dependencies.successors(module)) - {module}
    return bool(uses) and uses <= entry


def close_groups(
    dependencies: nx.DiGraph,
    shared: set[str],
    entry: set[str],
    packages: frozenset[str] = frozenset(),
) -> tuple[set[str], set[str]]:
    """Grow the shared library and the gateway by the modules that only they touch.

    The shared library must stand on its own, so a module used only by shared modules joins it;
    so does a module that depends only on shared modules and is used by shared modules and
    entry points only, and a package facade that nobody imports and that only re-exports shared
    modules. A module used by nobody that depends only on entry modules is a launcher and joins
    the gateway.
    """
    shared, entry = set(shared), set(entry)
    changed = True
    while changed:
        changed = False
        for module in sorted(set(dependencies.nodes) - shared - entry):
            users = set(dependencies.predecessors(module)) - {module}
            uses = set(dependencies.successors(module)) - {module}
            only_infrastructure = bool(uses) and uses <= shared
            if (
                (users and users <= shared)
                or (only_infrastructure and users & shared and users <= shared | entry)
                or (only_infrastructure and not users and module in packages)
            ):
                shared.add(module)
                changed = True
            elif entry and _is_launcher(dependencies, module, entry, packages):
                entry.add(module)
                changed = True
    return shared, entry


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


def service_names(
    clusters: Mapping[int, list[str]],
    lines: Mapping[str, int],
    reserved: Mapping[int, str] | None = None,
) -> dict[int, str]:
    """A unique DNS-1123 name per cluster from the dominant package name of its modules.

    The package part common to every module of the project is dropped first, so in a project
    whose code all lives under `shop/`, `shop.orders.service` votes for `orders`. Votes are
    weighted by lines of code. `reserved` names some clusters up front (the gateway).
    """
    everything = [m for members in clusters.values() for m in members]
    common = _common_prefix(everything)
    names = {n: name for n, name in (reserved or {}).items() if n in clusters}
    taken = set(names.values())
    for number in sorted(clusters, key=lambda n: (-len(clusters[n]), n)):
        if number in names:
            continue
        candidates = _name_candidates(clusters[number], common, lines)
        name = next((c for c in candidates if c not in taken), None)
        if name is None:
            suffix = 2
            while f"{candidates[0]}-{suffix}" in taken:
                suffix += 1
            name = f"{candidates[0]}-{suffix}"
        taken.add(name)
        names[number] = name
    return names


def _name_candidates(modules: list[str], common: list[str], lines: Mapping[str, int]) -> list[str]:
    """Names for a cluster, best first: its dominant package, then that package's dominant
    sub-package (`contrib-auth`), then the other packages it holds."""
    votes: list[Counter[str]] = [Counter(), Counter()]
    for module in modules:
        weight = max(lines.get(module, 1), 1)
        for depth, counter in enumerate(votes, start=1):
            counter[dns_label(_domain_words(module, common, depth))] += weight
    ranked = [sorted(c, key=lambda word: (-c[word], word)) for c in votes]
    top = ranked[0][0]
    deeper = [w for w in ranked[1] if w.startswith(f"{top}-")]
    return list(dict.fromkeys([top, *deeper, *ranked[0][1:]]))


def _common_prefix(modules: list[str]) -> list[str]:
    split = [m.split(".") for m in modules]
    prefix: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return prefix


def _domain_words(module: str, common: list[str], depth: int) -> str:
    """The first `depth` package names of a module below the project's common prefix."""
    parts = [p for p in module.split(".")[len(common) :] if p not in ("__main__", "__init__")]
    if parts:
        return "-".join(parts[:depth])
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
        noun = "service" if len(users) == 1 else "services"
        text = [f"used by {len(users)} {noun}: {', '.join(users)}"] if users else []
        if shared_users:
            text.append(f"used by shared modules: {', '.join(shared_users[:5])}")
        reasons[module] = tuple(text) or ("used by no service",)
    return reasons


def cluster_modules(
    affinity: nx.Graph,
    dependencies: nx.DiGraph,
    lines: Mapping[str, int],
    settings: ClusterSettings = ClusterSettings(),
    packages: Iterable[str] = (),
) -> Clustering:
    """Cluster modules into named services plus a shared library, with reasons.

    Louvain runs on the modules that are neither shared nor entry points; the shared library
    and the gateway of entry points are refined each round until both are stable.
    """
    packages = frozenset(packages)
    shared: set[str] = set()
    entry: set[str] = set()
    labels: dict[str, int] = {}
    for _ in range(MAX_SHARED_ROUNDS):
        labels = louvain_labels(
            affinity.subgraph(sorted(set(affinity.nodes) - shared - entry)), settings
        )
        found_shared, found_entry = close_groups(
            dependencies,
            shared_candidates(dependencies, labels, shared, settings),
            entry_candidates(dependencies, labels, packages, settings),
            packages,
        )
        found_entry -= found_shared
        if found_shared == shared and found_entry == entry:
            break
        shared, entry = found_shared, found_entry
    else:
        labels = louvain_labels(
            affinity.subgraph(sorted(set(affinity.nodes) - shared - entry)), settings
        )
    labels = {m: lab for m, lab in labels.items() if m not in shared and m not in entry}
    gateway = max(labels.values(), default=-1) + 1
    if entry:
        labels.update({module: gateway for module in entry})
    labels = merge_small_clusters(affinity, labels, settings.min_service_modules)
    clusters: dict[int, list[str]] = defaultdict(list)
    for module, label in sorted(labels.items()):
        clusters[label].append(module)
    names = service_names(clusters, lines, reserved={gateway: GATEWAY} if entry else {})
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
