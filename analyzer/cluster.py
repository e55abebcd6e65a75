"""From the similarity graph to services: clustering, the shared library, names and reasons.

`cluster_modules` takes the combined similarity (analyzer.signals.combine), the dependency
graph and ClusterSettings, and returns a Clustering. The algorithm itself is any of
analyzer.algorithms (Louvain, agglomerative, spectral, Bunch) behind one interface, with the
architect's constraints (pins, together, apart, maximum size).

Hub modules that most clusters depend on (configuration, database access, utilities) distort
any community search and belong in no single service, so they are taken out as a shared
library and the remaining modules are clustered again, until the shared set is stable.
Modules named in a constraint are never taken out. Modules with no tie to any other module
carry no evidence: they are not clustered; they join the service holding most of their
package, or, when the layout is ignored, the shared library.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

from analyzer.algorithms import (
    NO_CONSTRAINTS,
    Constraints,
    Similarity,
    cluster,
)
from analyzer.plan import dns_label
from analyzer.signals.static import package_of

MAX_SHARED_ROUNDS = 8
REASONS_PER_MODULE = 3
GATEWAY = "gateway"
STABILITY_RUNS = 5
NO_TIES = "no tie to any other module"
SHARED = "(shared)"


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of the clustering, recorded in the plan's settings.

    `algorithm`: one of analyzer.algorithms.ALGORITHMS; `services`: force this many services
    (the gateway included; the shared library not), else the algorithm's own count.
    `resolution`: Louvain's resolution (higher: more, smaller services).
    `shared_threshold`: a module is shared when modules of more than this share of the *other*
    clusters depend on it (and at least `shared_min_clusters` of them).
    `min_service_modules`: smaller clusters are merged into the cluster they are most tied to
    (not when `services` is given).
    """

    algorithm: str = "spectral"
    services: int | None = None
    resolution: float = 1.0
    seed: int = 42
    shared_threshold: float = 0.5
    shared_min_clusters: int = 3
    min_service_modules: int = 2
    constraints: Constraints = NO_CONSTRAINTS

    def clusters_needed(self, cluster_count: int) -> int:
        """Other clusters that make "most": more than `shared_threshold` of them."""
        return max(
            self.shared_min_clusters, math.floor(self.shared_threshold * (cluster_count - 1)) + 1
        )

    def as_dict(self) -> dict[str, Any]:
        recorded: dict[str, Any] = {
            "algorithm": self.algorithm,
            "services": self.services,
            "resolution": self.resolution,
            "seed": self.seed,
            "shared_threshold": self.shared_threshold,
            "shared_min_clusters": self.shared_min_clusters,
            "min_service_modules": self.min_service_modules,
        }
        constraints = self.constraints
        if constraints != NO_CONSTRAINTS:
            recorded["constraints"] = {
                "pin": dict(sorted(constraints.pins.items())),
                "together": [list(g) for g in constraints.together],
                "apart": [list(g) for g in constraints.apart],
                "max_size": constraints.max_size,
            }
        return recorded

    def may_join(self, modules: Iterable[str]) -> bool:
        """Whether these modules may form one service: no two entries of an `apart` group
        among them, and no more than `max_size` of them."""
        members = list(modules)
        constraints = self.constraints
        if constraints.max_size is not None and len(members) > constraints.max_size:
            return False
        for group in constraints.apart:
            hit = {
                entry for entry in group for m in members if m == entry or m.startswith(entry + ".")
            }
            if len(hit) > 1:
                return False
        return True

    def constrained_modules(self, modules: Iterable[str]) -> set[str]:
        """Modules some constraint names (directly or through their package)."""
        constraints = self.constraints
        entries = {
            *constraints.pins,
            *(e for g in constraints.together for e in g),
            *(e for g in constraints.apart for e in g),
        }
        return {m for m in modules if any(m == e or m.startswith(e + ".") for e in entries)}


@dataclass(frozen=True)
class Clustering:
    """Services (name -> sorted modules), the shared library, and why each module is where it is."""

    services: Mapping[str, tuple[str, ...]]
    shared: tuple[str, ...]
    reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def partition(self) -> dict[str, str]:
        return {m: name for name, modules in self.services.items() for m in modules}

    def labelling(self) -> dict[str, str]:
        """Every module's group, the shared library included (as `(shared)`)."""
        return {**self.partition(), **dict.fromkeys(self.shared, SHARED)}


def _restricted(constraints: Constraints, modules: Iterable[str]) -> Constraints:
    """The constraints with entries matching none of `modules` dropped (they were checked
    against the whole tree up front; the shared library may have taken their modules)."""
    present = sorted(modules)

    def matches(entry: str) -> bool:
        return any(m == entry or m.startswith(entry + ".") for m in present)

    def groups(found: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        kept = (tuple(e for e in g if matches(e)) for g in found)
        return tuple(g for g in kept if len(g) > 1)

    return Constraints(
        pins={k: v for k, v in constraints.pins.items() if matches(k)},
        together=groups(constraints.together),
        apart=groups(constraints.apart),
        max_size=constraints.max_size,
    )


def cluster_labels(
    graph: nx.Graph, settings: ClusterSettings, count: int | None = None
) -> tuple[dict[str, int], dict[int, str]]:
    """Module -> cluster number by the configured algorithm, and the pinned service name of
    the clusters that have one. Deterministic for a seed."""
    if graph.number_of_nodes() == 0:
        return {}, {}
    similarity = Similarity.from_graph(graph)
    params: dict[str, Any] = (
        {"resolution": settings.resolution} if settings.algorithm == "louvain" else {}
    )
    result = cluster(
        similarity,
        settings.algorithm,
        count=count,
        seed=settings.seed,
        constraints=_restricted(settings.constraints, similarity.modules),
        **params,
    )
    labels = dict(zip(similarity.modules, result.labels, strict=True))
    return labels, dict(result.names)


def louvain_labels(graph: nx.Graph, settings: ClusterSettings) -> dict[str, int]:
    """Module -> community number by Louvain (the import-graph baseline of the benchmarks)."""
    return cluster_labels(
        graph, ClusterSettings(resolution=settings.resolution, seed=settings.seed)
    )[0]


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


def merge_small_clusters(
    graph: nx.Graph,
    labels: dict[str, int],
    minimum: int,
    pinned: Mapping[int, str] | None = None,
    may_join: Callable[[list[str]], bool] | None = None,
) -> dict[str, int]:
    """Fold clusters below `minimum` modules into the cluster they share the most weight with
    (a cluster pinned to a service is never folded into another, and no fold may break the
    constraints: `may_join` says whether a set of modules may form one service)."""
    labels = dict(labels)
    pinned = pinned or {}
    while True:
        sizes = Counter(labels.values())
        small = sorted(
            (size, label) for label, size in sizes.items() if size < minimum and label not in pinned
        )
        merged = False
        for _, label in small:
            members = sorted(m for m, lab in labels.items() if lab == label)
            ties: Counter[int] = Counter()
            for module in members:
                for peer, data in graph[module].items():
                    if peer in labels and labels[peer] != label:
                        ties[labels[peer]] += data["weight"]
            if may_join is not None:
                for candidate in list(ties):
                    joined = [m for m, lab in labels.items() if lab in (candidate, label)]
                    if not may_join(joined):
                        del ties[candidate]
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
    containers = {  # the packages, below the common prefix: what a name may come from
        parts[:end]
        for module in everything
        for parts in [_domain_parts(module, common)]
        for end in range(1, len(parts))
    }
    names = {n: name for n, name in (reserved or {}).items() if n in clusters}
    taken = set(names.values())
    proposals = {
        n: _name_candidates(members, common, lines, containers) for n, members in clusters.items()
    }
    # clusters that one package clearly holds choose first; mixed ones take what is left
    for number in sorted(clusters, key=lambda n: (-proposals[n][0], -len(clusters[n]), n)):
        if number in names:
            continue
        candidates = proposals[number][1]
        name = next((c for c in candidates if c not in taken), None)
        if name is None:
            suffix = 2
            while f"{candidates[0]}-{suffix}" in taken:
                suffix += 1
            name = f"{candidates[0]}-{suffix}"
        taken.add(name)
        names[number] = name
    return names


#: Package names that group code without saying what it is about (`oscar.apps.offer`).
GENERIC_PACKAGES = frozenset(
    {"apps", "app", "src", "lib", "libs", "modules", "packages", "pkg", "contrib", "source"}
)


def _name_candidates(
    modules: list[str],
    common: list[str],
    lines: Mapping[str, int],
    containers: set[tuple[str, ...]] | None = None,
) -> tuple[float, list[str]]:
    """Names for a cluster, best first.

    The deepest package (never a module) that holds most of the cluster's code (weighted by
    lines) names it, by its last two meaningful parts (`dashboard-offers`; a container such
    as `apps` or `contrib` is skipped: `oscar.apps.offer` gives `offer`). When no package holds
    most of
    it, its largest sub-package does. Then come the other packages it holds.
    """
    paths = {m: _domain_parts(m, common) for m in modules}
    weights = {m: max(lines.get(m, 1), 1) for m in modules}
    total = sum(weights.values())
    prefix: tuple[str, ...] = ()
    while True:
        votes: Counter[tuple[str, ...]] = Counter()
        for module, parts in paths.items():
            below = parts[: len(prefix) + 1]
            if (
                len(parts) > len(prefix)
                and parts[: len(prefix)] == prefix
                and (containers is None or below in containers)
            ):
                votes[below] += weights[module]
        if not votes:
            break
        best = min(votes, key=lambda p: (-votes[p], p))
        if votes[best] * 2 <= total:
            break
        prefix = best
    share = 1.0 if prefix else 0.0
    if not _meaningful(prefix):
        # no package holds most of it: a mixed cluster, named after its largest module
        heaviest = min(modules, key=lambda m: (-weights[m], m))
        heaviest_parts = paths[heaviest] or tuple(common[-1:])
        share = 0.0
        prefix_label = _label(heaviest_parts)
        others = sorted({_label(p[:1]) for p in paths.values() if p})
        return share, list(dict.fromkeys([prefix_label, *others]))
    ranked: Counter[str] = Counter()
    for module, parts in paths.items():
        ranked[_label(parts[: len(prefix)] if len(parts) >= len(prefix) else parts)] += weights[
            module
        ]
    first = _label(prefix) if prefix else (common[-1] if common else "app")
    deeper: Counter[str] = Counter()  # `orders-a`: what sets it apart when `orders` is taken
    for module, parts in paths.items():
        if len(parts) > len(prefix) and parts[: len(prefix)] == prefix:
            deeper[dns_label("-".join((*prefix[-1:], parts[len(prefix)])))] += weights[module]
    others = sorted(ranked, key=lambda name: (-ranked[name], name))
    below = sorted(deeper, key=lambda name: (-deeper[name], name))
    return share, list(dict.fromkeys([first, *below, *others]))


def _meaningful(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in parts if p not in GENERIC_PACKAGES)


def _label(parts: tuple[str, ...]) -> str:
    words = _meaningful(parts)[-2:] or parts[-1:] or ("app",)
    return dns_label("-".join(words))


def _domain_parts(module: str, common: list[str]) -> tuple[str, ...]:
    """A module's package names below the project's common prefix (`__main__` dropped)."""
    return tuple(p for p in module.split(".")[len(common) :] if p not in ("__main__", "__init__"))


def _common_prefix(modules: list[str]) -> list[str]:
    split = [m.split(".") for m in modules]
    prefix: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return prefix


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


def isolated_modules(graph: nx.Graph) -> set[str]:
    """Modules with no tie of any weight to another module."""
    return {m for m in graph.nodes if not any(d["weight"] > 0 for d in graph[m].values())}


ORPHAN_SHARE = 0.1


def orphaned_modules(whole: nx.Graph, remaining: nx.Graph) -> set[str]:
    """Modules of `remaining` that keep at most ORPHAN_SHARE of their tie weight in it (the
    rest goes to modules taken out: the shared library, the gateway)."""
    found = set()
    for module in remaining.nodes:
        total = math.fsum(d["weight"] for d in whole[module].values())
        kept = math.fsum(d["weight"] for d in remaining[module].values())
        if total > 0 and kept <= ORPHAN_SHARE * total:
            found.add(module)
    return found


def place_by_package(
    modules: Iterable[str], partition: Mapping[str, str], packages: frozenset[str]
) -> dict[str, str]:
    """Each module -> the service holding most modules directly in its package (then in the
    parent package, and so on); modules whose packages hold no placed module are left out."""
    placed: dict[str, str] = {}
    by_package: dict[str, Counter[str]] = defaultdict(Counter)
    for module, service in partition.items():
        by_package[package_of(module, module in packages)][service] += 1
    for module in sorted(modules):
        package = package_of(module, module in packages)
        while package:
            votes = by_package.get(package)
            if votes:
                placed[module] = min(votes, key=lambda s: (-votes[s], s))
                break
            package = package.rpartition(".")[0]
    return placed


def cluster_modules(
    affinity: nx.Graph,
    dependencies: nx.DiGraph,
    lines: Mapping[str, int],
    settings: ClusterSettings = ClusterSettings(),
    packages: Iterable[str] = (),
    use_layout: bool = True,
) -> Clustering:
    """Cluster modules into named services plus a shared library, with reasons.

    The algorithm runs on the modules that are neither shared, entry points nor isolated;
    the shared library and the gateway of entry points are refined each round until both are
    stable. With `settings.services`, the algorithm is asked for that many clusters (one
    fewer when entry points form a gateway) and small clusters are kept as they are.
    """
    packages = frozenset(packages)
    isolated = isolated_modules(affinity)
    exempt = settings.constrained_modules(affinity.nodes)
    isolated -= exempt
    candidates = set(affinity.nodes) - isolated
    shared: set[str] = set()
    entry: set[str] = set()
    labels: dict[str, int] = {}
    pinned: dict[int, str] = {}

    orphans: set[str] = set()

    def run() -> tuple[dict[str, int], dict[int, str]]:
        """Cluster what is left; a module with (almost) every tie going to the shared library
        or the gateway has nothing to be clustered by: it is placed at the end, like an
        isolated one."""
        count = settings.services
        if count is not None and entry:
            count = max(1, count - 1)
        remaining = affinity.subgraph(sorted(candidates - shared - entry))
        orphans.clear()
        orphans.update(orphaned_modules(affinity, remaining) - exempt)
        members = sorted(set(remaining.nodes) - orphans)
        return cluster_labels(affinity.subgraph(members), settings, count)

    for _ in range(MAX_SHARED_ROUNDS):
        labels, pinned = run()
        found_shared, found_entry = close_groups(
            dependencies,
            shared_candidates(dependencies, labels, shared, settings),
            entry_candidates(dependencies, labels, packages, settings),
            packages,
        )
        found_shared = (found_shared - exempt) & candidates
        found_entry = (found_entry - found_shared - exempt) & candidates
        if found_shared == shared and found_entry == entry:
            break
        shared, entry = found_shared, found_entry
    else:
        labels, pinned = run()
    labels = {m: lab for m, lab in labels.items() if m not in shared and m not in entry}
    gateway = max(labels.values(), default=-1) + 1
    if entry:
        labels.update({module: gateway for module in entry})
    if settings.services is None:
        labels = merge_small_clusters(
            affinity, labels, settings.min_service_modules, pinned, settings.may_join
        )
    clusters: dict[int, list[str]] = defaultdict(list)
    for module, label in sorted(labels.items()):
        clusters[label].append(module)
    reserved = {label: dns_label(name) for label, name in pinned.items() if label in clusters}
    if entry:
        reserved[gateway] = GATEWAY
    names = service_names(clusters, lines, reserved=reserved)
    services = {names[n]: sorted(members) for n, members in clusters.items()}
    reasons = {
        module: reasons_for(affinity, module, members)
        for members in services.values()
        for module in members
    }
    partition = {m: name for name, members in services.items() for m in members}
    unplaced = isolated | (orphans - shared - entry)
    placed = (
        place_by_package(unplaced, {**partition, **dict.fromkeys(shared, SHARED)}, packages)
        if use_layout
        else {}
    )
    for module in sorted(unplaced):
        service = placed.get(module)
        peers = set(affinity[module])
        if service in services and settings.may_join([*services[service], module]):
            services[service].append(module)
            reasons[module] = (
                f"{NO_TIES}: placed with its package"
                if module in isolated
                else "tied only to shared modules: placed with its package",
            )
        elif module not in isolated and entry and peers <= entry and GATEWAY in services:
            services[GATEWAY].append(module)
            reasons[module] = ("tied only to the gateway's modules",)
            placed[module] = GATEWAY
        else:
            placed.pop(module, None)
            shared.add(module)
    partition = {m: name for name, members in services.items() for m in members}
    reasons.update(shared_reasons(dependencies, partition, shared))
    for module in unplaced - set(placed):
        reasons[module] = (
            (NO_TIES,) if module in isolated else ("tied only to shared modules and the gateway",)
        )
    return Clustering(
        services={name: tuple(sorted(members)) for name, members in sorted(services.items())},
        shared=tuple(sorted(shared)),
        reasons=dict(sorted(reasons.items())),
    )


def plan_stability(
    affinity: nx.Graph,
    dependencies: nx.DiGraph,
    lines: Mapping[str, int],
    settings: ClusterSettings,
    packages: Iterable[str] = (),
    use_layout: bool = True,
    runs: int = STABILITY_RUNS,
    first: Clustering | None = None,
) -> float:
    """Mean adjusted Rand index between the plans of `runs` consecutive seeds (starting at
    the configured one), the shared library counted as one group: 1.0 means the plan does
    not depend on the seed. `first`, when given, is the configured seed's clustering."""
    packages = tuple(packages)
    labellings = [first.labelling()] if first is not None else []
    for offset in range(len(labellings), runs):
        seeded = dataclasses.replace(settings, seed=settings.seed + offset)
        clustering = cluster_modules(affinity, dependencies, lines, seeded, packages, use_layout)
        labellings.append(clustering.labelling())
    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.metrics import adjusted_rand_score

    modules = sorted(affinity.nodes)
    scores = [
        adjusted_rand_score([a[m] for m in modules], [b[m] for m in modules])
        for a, b in combinations(labellings, 2)
    ]
    return round(math.fsum(scores) / len(scores), 4) if scores else 1.0
