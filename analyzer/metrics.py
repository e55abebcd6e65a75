"""Decomposition metrics: how good is a proposed cut of a monolith into services?

Every metric is a small pure function over plain data:

- ``graph``: the module dependency graph, a :class:`networkx.DiGraph` whose nodes are dotted
  module names; an edge ``u -> v`` means *u depends on v*; the edge attribute ``weight`` is a
  float and defaults to 1.0 when absent.
- ``partition``: a mapping module -> service name.

Conventions shared by every metric (the "restriction" rule):

- Modules that are **not in the partition** (the shared library, modules outside the plan) are
  ignored: they and every edge touching them are dropped before anything is computed.
- **Self-loops are ignored** (a module depending on itself says nothing about a cut).
- Modules that are in the partition but absent from the graph count as isolated modules
  (they matter for sizes, e.g. NED, cohesion, structural modularity).
- The set of services is ``set(partition.values())``; every service appears in per-service
  results, even one without edges.

Everything iterates in sorted order and sums with :func:`math.fsum`, so results do not depend on
graph insertion order or hash seeds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

import networkx as nx
from networkx.algorithms.community import modularity as _nx_modularity

__all__ = [
    "METRIC_DEFINITIONS",
    "CrossCall",
    "PlanMetrics",
    "ServiceMetrics",
    "adjusted_rand",
    "compute_metrics",
    "fold_constructors",
    "icp",
    "ifn",
    "interface_functions",
    "largest_service_share",
    "modularity",
    "ned",
    "service_cohesion",
    "service_coupling",
    "service_cycles",
    "service_dependency_graph",
    "service_fan",
    "structural_modularity",
    "turbo_mq",
]

NED_LOWER = 5
NED_UPPER = 20
CYCLE_LIMIT = 100
ROUND_DIGITS = 4


CONSTRUCTORS = ("__init__", "__new__")


@dataclass(frozen=True)
class CrossCall:
    """One static call: a function in ``caller_module`` calls ``callee``.

    ``callee`` is the fully qualified name of the called function or class (for example
    ``shop.orders.service.place_order``) and ``callee_module`` the module that defines it.
    ``caller`` (the calling function or module, dotted) and ``line`` say where the call is;
    they are optional ("" and 0 when unknown). ``instantiates`` marks a class being
    instantiated; the constructor it runs (``__init__``, ``__new__``) is then usually a call
    of its own at the same place (see :func:`fold_constructors`).
    """

    caller_module: str
    callee_module: str
    callee: str
    caller: str = ""
    line: int = 0
    instantiates: bool = False


# --------------------------------------------------------------------------------------------
# helpers


def _weight(data: Mapping[str, Any]) -> float:
    value = data.get("weight")
    return 1.0 if value is None else float(value)


def _edges(graph: nx.DiGraph, partition: Mapping[str, str]) -> list[tuple[str, str, float]]:
    """The graph's edges restricted to partitioned modules, self-loops dropped, sorted."""
    kept = [
        (u, v, _weight(data))
        for u, v, data in graph.edges(data=True)
        if u != v and u in partition and v in partition
    ]
    kept.sort(key=lambda edge: (edge[0], edge[1]))
    return kept


def _services(partition: Mapping[str, str]) -> list[str]:
    return sorted(set(partition.values()))


def _sizes(partition: Mapping[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = dict.fromkeys(_services(partition), 0)
    for service in partition.values():
        sizes[service] += 1
    return sizes


def _clean(value: float) -> float:
    """Round for stable output; turns -0.0 into 0.0."""
    return round(value, ROUND_DIGITS) + 0.0


# --------------------------------------------------------------------------------------------
# service-level graph


def service_dependency_graph(graph: nx.DiGraph, partition: Mapping[str, str]) -> nx.DiGraph:
    """The service dependency graph induced by a partition.

    Nodes are all services of the partition (isolated ones included), added in sorted order.
    An edge A -> B (A != B) exists when some module of A depends on some module of B; its
    ``weight`` is the summed weight of those module edges and its ``edges`` attribute the
    number of module edges. Edges are added in sorted order.
    """
    weights: dict[tuple[str, str], list[float]] = defaultdict(list)
    for u, v, w in _edges(graph, partition):
        a, b = partition[u], partition[v]
        if a != b:
            weights[(a, b)].append(w)
    sdg = nx.DiGraph()
    sdg.add_nodes_from(_services(partition))
    for (a, b), ws in sorted(weights.items()):
        sdg.add_edge(a, b, weight=math.fsum(ws), edges=len(ws))
    return sdg


# --------------------------------------------------------------------------------------------
# plan-level metrics


def modularity(graph: nx.DiGraph, partition: Mapping[str, str]) -> float:
    """Newman's modularity Q of the partition on the undirected weighted graph.

    Q = Σ_c [ L_c / m − (d_c / 2m)² ], where m is the total edge weight, L_c the weight of edges
    inside community c and d_c the summed weighted degree of c's nodes.
    The directed graph is made undirected by summing the weights of u→v and v→u; computed with
    :func:`networkx.algorithms.community.modularity` (resolution 1).
    Range [−0.5, 1); higher is better. 0.0 when no edge (or zero total weight) remains.

    Source: M. E. J. Newman and M. Girvan, "Finding and evaluating community structure in
    networks", Phys. Rev. E 69, 026113 (2004); M. E. J. Newman, "Modularity and community
    structure in networks", PNAS 103(23) (2006).
    """
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(partition))
    for u, v, w in _edges(graph, partition):
        a, b = (u, v) if u < v else (v, u)
        if undirected.has_edge(a, b):
            undirected[a][b]["weight"] += w
        else:
            undirected.add_edge(a, b, weight=w)
    total = math.fsum(w for _, _, w in undirected.edges(data="weight"))
    if undirected.number_of_edges() == 0 or total == 0:
        return 0.0
    groups: dict[str, set[str]] = defaultdict(set)
    for module, service in partition.items():
        groups[service].add(module)
    communities = [groups[s] for s in sorted(groups)]
    return float(_nx_modularity(undirected, communities, weight="weight"))


def _intra_inter(
    graph: nx.DiGraph, partition: Mapping[str, str]
) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    intra: dict[str, list[float]] = defaultdict(list)
    inter: dict[tuple[str, str], list[float]] = defaultdict(list)
    for u, v, w in _edges(graph, partition):
        a, b = partition[u], partition[v]
        (intra[a] if a == b else inter[(a, b)]).append(w)
    return (
        {s: math.fsum(ws) for s, ws in intra.items()},
        {k: math.fsum(ws) for k, ws in inter.items()},
    )


def turbo_mq(graph: nx.DiGraph, partition: Mapping[str, str]) -> float:
    """TurboMQ, the weighted Modularization Quality of Bunch.

    TurboMQ = Σ_i CF_i with CF_i = 2μ_i / (2μ_i + Σ_{j≠i} (ε_ij + ε_ji)), where μ_i is the
    weight of edges inside cluster i and ε_ij the weight of edges from cluster i to cluster j;
    CF_i = 0 when μ_i = 0. Range [0, K] for K clusters; higher is better.

    Source: B. S. Mitchell and S. Mancoridis, "On the automatic modularization of software
    systems using the Bunch tool", IEEE TSE 32(3), 2006.
    """
    intra, inter = _intra_inter(graph, partition)
    boundary: dict[str, list[float]] = defaultdict(list)
    for (a, b), w in inter.items():
        boundary[a].append(w)
        boundary[b].append(w)
    total = []
    for service in _services(partition):
        mu = intra.get(service, 0.0)
        if mu == 0:
            continue
        total.append(2 * mu / (2 * mu + math.fsum(boundary.get(service, []))))
    return math.fsum(total)


def icp(graph: nx.DiGraph, partition: Mapping[str, str]) -> float:
    """Inter-call percentage: share of dependency weight that crosses service boundaries.

    ICP = Σ weight(u→v, service(u) ≠ service(v)) / Σ weight(u→v). Range [0, 1]; lower is
    better. 0.0 when no edge (or zero total weight) remains. Jin et al. count runtime calls
    from execution traces; here it is computed over static dependency weight.

    Source: W. Jin, T. Liu, Y. Cai, R. Kazman, R. Mo and Q. Zheng, "Service candidate
    identification from monolithic systems based on execution traces", IEEE TSE 47(5), 2019.
    """
    crossing: list[float] = []
    total: list[float] = []
    for u, v, w in _edges(graph, partition):
        total.append(w)
        if partition[u] != partition[v]:
            crossing.append(w)
    denominator = math.fsum(total)
    return 0.0 if denominator == 0 else math.fsum(crossing) / denominator


def _constructor_of(callee: str) -> tuple[str, str] | None:
    """``pkg.mod.Cls.__init__`` -> (``pkg.mod.Cls``, ``__init__``); None for other names."""
    owner, _, method = callee.rpartition(".")
    return (owner, method) if owner and method in CONSTRUCTORS else None


def fold_constructors(calls: Iterable[CrossCall]) -> list[CrossCall]:
    """The calls with each instantiation counted once, as a call of its class.

    The call graph records ``Cls(...)`` as an instantiation of ``Cls`` plus a call of the
    ``__init__`` (and ``__new__``) it runs, named by the class that defines it, which may be a
    base class. At one place (same ``caller`` and ``line``) that instantiates classes, a
    constructor call ``K.__init__`` is dropped when ``K`` is instantiated there, or when some
    class instantiated there has no ``__init__`` call of its own there (it inherits one);
    ``__new__`` likewise. So ``super().__init__(Other())`` keeps its call of the base's
    ``__init__``. Calls without a place (empty ``caller``) are kept as they are.
    Duplicates are dropped; the order is otherwise kept.
    """
    calls = list(dict.fromkeys(calls))
    created: dict[tuple[str, int], set[str]] = defaultdict(set)
    for call in calls:
        if call.instantiates and call.caller:
            created[(call.caller, call.line)].add(call.callee)
    if not created:
        return calls
    present = {(c.caller, c.line, c.callee) for c in calls if not c.instantiates}
    kept = []
    for call in calls:
        constructor = None if call.instantiates else _constructor_of(call.callee)
        classes = created.get((call.caller, call.line))
        if constructor is not None and classes:
            owner, method = constructor
            inherits = any(
                (call.caller, call.line, f"{cls}.{method}") not in present for cls in classes
            )
            if owner in classes or inherits:
                continue
        kept.append(call)
    return kept


def interface_functions(
    calls: Iterable[CrossCall], partition: Mapping[str, str]
) -> dict[str, frozenset[str]]:
    """For each service, the callees defined in its modules that another service calls.

    A call counts when both ``caller_module`` and ``callee_module`` are in the partition and
    belong to different services; the callee is then an interface function of the callee's
    service. An instantiation counts as a call of the class, not of its constructor: the
    calls are first folded by :func:`fold_constructors`, and ``Cls.__init__`` and
    ``Cls.__new__`` are left out of a service's set whenever ``Cls`` is in it. Every service of
    the partition is a key (with an empty set if it has none); keys are in sorted order.

    Source: the "interface" notion of Jin et al. 2019 (see :func:`ifn`).
    """
    found: dict[str, set[str]] = {s: set() for s in _services(partition)}
    for call in fold_constructors(calls):
        caller = partition.get(call.caller_module)
        callee = partition.get(call.callee_module)
        if caller is not None and callee is not None and caller != callee:
            found[callee].add(call.callee)
    result: dict[str, frozenset[str]] = {}
    for service, names in found.items():
        result[service] = frozenset(
            name
            for name in names
            if (constructor := _constructor_of(name)) is None or constructor[0] not in names
        )
    return result


def ifn(interfaces: Mapping[str, frozenset[str]]) -> float:
    """Interface number: mean number of interface functions per service.

    IFN = (1/K) Σ_i |I_i|, where I_i is the set of service i's functions and classes called
    from other services (see :func:`interface_functions`; a class instantiated from another
    service counts once, not again for its constructor). Lower is better. 0.0 with no services.

    Source: W. Jin et al., "Service candidate identification from monolithic systems based on
    execution traces", IEEE TSE 47(5), 2019.
    """
    if not interfaces:
        return 0.0
    return math.fsum(len(names) for names in interfaces.values()) / len(interfaces)


def ned(partition: Mapping[str, str], lower: int = NED_LOWER, upper: int = NED_UPPER) -> float:
    """Non-extreme distribution, reported as the share of modules in non-extreme services.

    NED = Σ_{i: lower ≤ n_i ≤ upper} n_i / Σ_i n_i, where n_i is service i's module count.
    Range [0, 1]; **higher is better** here. Jin et al. report the complement (1 − this value,
    lower is better); the definition is otherwise the same. 0.0 for an empty partition.

    Bounds: a service with fewer than 5 modules is considered too fine-grained and one with
    more than 20 too coarse, following the thresholds for "extreme" clusters used by Wu et al.
    and adopted for service candidates by Jin et al.; both bounds are parameters because a
    Python module is usually larger than the Java class those studies counted.

    Sources: J. Wu, A. E. Hassan and R. C. Holt, "Comparison of clustering algorithms in the
    context of software evolution", ICSM 2005; W. Jin et al., IEEE TSE 47(5), 2019.
    """
    if not partition:
        return 0.0
    sizes = _sizes(partition)
    fine = sum(n for n in sizes.values() if lower <= n <= upper)
    return fine / len(partition)


def structural_modularity(graph: nx.DiGraph, partition: Mapping[str, str]) -> float:
    """Structural modularity SM (unweighted edge counts).

    SM = (1/K) Σ_i scoh_i − (1 / (K(K−1)/2)) Σ_{i<j} scop_ij, with
    scoh_i = μ_i / N_i² and scop_ij = σ_ij / (2·N_i·N_j), where N_i is service i's module
    count, μ_i the number of edges inside i and σ_ij the number of edges between i and j in
    either direction. With K = 1 only the cohesion term remains; K = 0 gives 0.0.
    Higher is better.

    Source: W. Jin et al., IEEE TSE 47(5), 2019 (after the MQ of Bunch, Mitchell & Mancoridis).
    """
    services = _services(partition)
    k = len(services)
    if k == 0:
        return 0.0
    sizes = _sizes(partition)
    intra: dict[str, int] = defaultdict(int)
    between: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, _ in _edges(graph, partition):
        a, b = partition[u], partition[v]
        if a == b:
            intra[a] += 1
        else:
            between[(min(a, b), max(a, b))] += 1
    cohesion = math.fsum(intra[s] / sizes[s] ** 2 for s in services) / k
    if k == 1:
        return cohesion
    coupling = math.fsum(
        count / (2 * sizes[a] * sizes[b]) for (a, b), count in sorted(between.items())
    )
    return cohesion - coupling / (k * (k - 1) / 2)


def largest_service_share(partition: Mapping[str, str]) -> float:
    """Largest service's module count divided by the number of modules; 0.0 if empty.

    Lower is better: giant clusters are the typical failure of clustering-based decomposition,
    so this is always reported beside the other metrics.
    """
    if not partition:
        return 0.0
    return max(_sizes(partition).values()) / len(partition)


def adjusted_rand(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Adjusted Rand index between two partitions over their common modules.

    Modules in only one of the two partitions are ignored. Computed with
    :func:`sklearn.metrics.adjusted_rand_score`; 1.0 for identical groupings, about 0.0 for
    chance agreement. Returns 0.0 when the partitions share no module.

    Source: L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2, 1985.
    """
    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.metrics import adjusted_rand_score

    common = sorted(set(a) & set(b))
    if not common:
        return 0.0
    return float(adjusted_rand_score([a[m] for m in common], [b[m] for m in common]))


# --------------------------------------------------------------------------------------------
# per-service metrics


def service_cohesion(graph: nx.DiGraph, partition: Mapping[str, str]) -> dict[str, float]:
    """Per service: intra-service edge count / n(n−1), the possible directed edges.

    n is the service's module count; edges are counted once each, unweighted. A single-module
    service is fully cohesive by definition (1.0). Range [0, 1]; higher is better.

    Source: a directed-graph density, as in the intra-connectivity A_i = μ_i / N_i² of
    Mancoridis et al., "Using automatic clustering to produce high-level system
    organizations of source code", IWPC 1998 (here without self-loops, so n(n−1)).
    """
    sizes = _sizes(partition)
    intra: dict[str, int] = defaultdict(int)
    for u, v, _ in _edges(graph, partition):
        if partition[u] == partition[v]:
            intra[partition[u]] += 1
    return {s: 1.0 if n == 1 else intra[s] / (n * (n - 1)) for s, n in sorted(sizes.items())}


def service_coupling(graph: nx.DiGraph, partition: Mapping[str, str]) -> dict[str, float]:
    """Per service: weight of its outgoing edges to other services / weight of all outgoing.

    Only edges between partitioned modules count (dependencies on the shared library are not
    coupling between services). 0.0 for a service without outgoing weight. Range [0, 1];
    lower is better. This is ICP restricted to one service's outgoing dependencies.
    """
    crossing: dict[str, list[float]] = defaultdict(list)
    total: dict[str, list[float]] = defaultdict(list)
    for u, v, w in _edges(graph, partition):
        total[partition[u]].append(w)
        if partition[u] != partition[v]:
            crossing[partition[u]].append(w)
    result: dict[str, float] = {}
    for service in _services(partition):
        denominator = math.fsum(total.get(service, []))
        result[service] = (
            0.0 if denominator == 0 else math.fsum(crossing.get(service, [])) / denominator
        )
    return result


def service_fan(graph: nx.DiGraph, partition: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """Per service: (afferent, efferent) coupling counted in services.

    Afferent (Ca) = number of other services that depend on it; efferent (Ce) = number of
    other services it depends on; an edge of the service dependency graph counts whatever its
    weight. Lower is better for both.

    Source: R. C. Martin, "OO design quality metrics: an analysis of dependencies", 1994
    (Ca/Ce, applied to services).
    """
    sdg = service_dependency_graph(graph, partition)
    return {s: (sdg.in_degree(s), sdg.out_degree(s)) for s in sorted(sdg.nodes)}


def _cycles_from(sdg: nx.DiGraph, start: str) -> Iterator[list[str]]:
    """Simple cycles whose smallest node is ``start``, in lexicographic order.

    Depth-first over successors in sorted order, among nodes not smaller than ``start``.
    Because ``start`` is smaller than every other node, a closing edge is tried before any
    extension, so each cycle is yielded before the longer ones it prefixes: the output is
    lexicographically sorted. A successor is entered only if ``start`` can still be reached
    from it without touching the current path, so every branch explored yields at least one
    cycle and the time between two cycles is polynomial (no exponential dead ends).
    """
    allowed = sorted(n for n in sdg.nodes if n >= start)
    keep = set(allowed)
    successors = {n: sorted(m for m in sdg.successors(n) if m in keep) for n in allowed}
    predecessors = {n: [m for m in sdg.predecessors(n) if m in keep] for n in allowed}
    on_path = {start}

    def viable(node: str) -> list[str]:
        # Nodes off the path from which `start` is reachable through nodes off the path.
        back: set[str] = set()
        frontier = [start]
        while frontier:
            current = frontier.pop()
            for pred in predecessors[current]:
                if pred not in on_path and pred not in back:
                    back.add(pred)
                    frontier.append(pred)
        return [m for m in successors[node] if m == start or m in back]

    path = [start]
    stack = [iter(viable(start))]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            on_path.discard(path.pop())
        elif node == start:
            yield list(path)
        elif node not in on_path:
            path.append(node)
            on_path.add(node)
            stack.append(iter(viable(node)))


def service_cycles(
    graph: nx.DiGraph, partition: Mapping[str, str], limit: int = CYCLE_LIMIT
) -> list[list[str]]:
    """The simple cycles of the service dependency graph, at most ``limit`` of them.

    Each cycle is a list of services rotated to start at its smallest name; the list is sorted
    lexicographically and holds the first ``limit`` cycles of that order (enumeration stops
    there, so a dense graph stays cheap). A cycle means the services cannot be deployed or
    versioned independently; fewer is better.
    """
    if limit <= 0:
        return []
    sdg = service_dependency_graph(graph, partition)
    found: list[list[str]] = []
    for start in sorted(sdg.nodes):
        for cycle in _cycles_from(sdg, start):
            found.append(cycle)
            if len(found) >= limit:
                return found
    return found


# --------------------------------------------------------------------------------------------
# bundles


METRIC_DEFINITIONS: dict[str, str] = {
    "modularity": (
        "Newman modularity Q of the undirected weighted module graph split by service "
        "(Newman & Girvan 2004; Newman 2006); higher is better."
    ),
    "turbo_mq": (
        "TurboMQ: sum over services of 2·intra / (2·intra + weight crossing its boundary) "
        "(Mitchell & Mancoridis, Bunch, IEEE TSE 2006); higher is better."
    ),
    "icp": (
        "Inter-call percentage: share of static dependency weight crossing services "
        "(Jin et al., IEEE TSE 2019); lower is better."
    ),
    "ifn": (
        "Interface number: mean count per service of its functions and classes called from "
        "other services (Jin et al., IEEE TSE 2019); lower is better."
    ),
    "ned": (
        "Non-extreme distribution: share of modules in services of 5 to 20 modules "
        "(Wu, Hassan & Holt 2005; Jin et al. 2019 report 1 minus this); higher is better."
    ),
    "structural_modularity": (
        "Structural modularity: mean cohesion μ/N² minus mean pairwise coupling σ/(2·Ni·Nj), "
        "edge counts (Jin et al., IEEE TSE 2019); higher is better."
    ),
    "service_count": "Number of services in the plan; neither direction is better.",
    "cross_service_edges": (
        "Number of module dependency edges between different services; lower is better."
    ),
    "service_cycles": (
        f"Number of simple cycles in the service dependency graph (counted up to "
        f"{CYCLE_LIMIT}); lower is better."
    ),
    "largest_service_share": (
        "Largest service's share of all modules (giant clusters are the typical clustering "
        "failure); lower is better."
    ),
}


def _as_dict(record: Any) -> dict[str, float | int]:
    result: dict[str, float | int] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        result[f.name] = _clean(value) if isinstance(value, float) else value
    return result


@dataclass(frozen=True)
class PlanMetrics:
    """Plan-level numbers; see :data:`METRIC_DEFINITIONS` for each one's meaning."""

    modularity: float
    turbo_mq: float
    icp: float
    ifn: float
    ned: float
    structural_modularity: float
    service_count: int
    cross_service_edges: int
    service_cycles: int
    largest_service_share: float

    def as_dict(self) -> dict[str, float | int]:
        """Field name -> value in declaration order, floats rounded to 4 decimals."""
        return _as_dict(self)


@dataclass(frozen=True)
class ServiceMetrics:
    """Per-service numbers: module count, cohesion, coupling, afferent/efferent services and
    the number of interface functions (see the functions of the same names)."""

    modules: int
    cohesion: float
    coupling: float
    afferent: int
    efferent: int
    interface_functions: int

    def as_dict(self) -> dict[str, float | int]:
        """Field name -> value in declaration order, floats rounded to 4 decimals."""
        return _as_dict(self)


def compute_metrics(
    graph: nx.DiGraph,
    partition: Mapping[str, str],
    calls: Iterable[CrossCall] = (),
    cycle_limit: int = CYCLE_LIMIT,
) -> tuple[PlanMetrics, dict[str, ServiceMetrics]]:
    """All plan-level metrics and, per service (sorted by name), the service metrics."""
    interfaces = interface_functions(calls, partition)
    cross_edges = sum(1 for u, v, _ in _edges(graph, partition) if partition[u] != partition[v])
    plan = PlanMetrics(
        modularity=modularity(graph, partition),
        turbo_mq=turbo_mq(graph, partition),
        icp=icp(graph, partition),
        ifn=ifn(interfaces),
        ned=ned(partition),
        structural_modularity=structural_modularity(graph, partition),
        service_count=len(_services(partition)),
        cross_service_edges=cross_edges,
        service_cycles=len(service_cycles(graph, partition, limit=cycle_limit)),
        largest_service_share=largest_service_share(partition),
    )
    sizes = _sizes(partition)
    cohesion = service_cohesion(graph, partition)
    coupling = service_coupling(graph, partition)
    fan = service_fan(graph, partition)
    services = {
        s: ServiceMetrics(
            modules=sizes[s],
            cohesion=cohesion[s],
            coupling=coupling[s],
            afferent=fan[s][0],
            efferent=fan[s][1],
            interface_functions=len(interfaces[s]),
        )
        for s in sorted(sizes)
    }
    return plan, services
