"""How closely a found partition of modules matches an authoritative one.

Each function takes two mappings, module -> cluster name: ``found`` (the partition under test,
for example a plan's services) and ``truth`` (the authoritative decomposition, for example a
Django project's apps). Cluster names only group modules; they are never compared with each
other, so the two mappings may use unrelated names.

Every metric is computed on the modules present in *both* mappings, taken in sorted order;
modules in only one of them are ignored (the convention of the MoJo tools: "only the
intersection of the two sets will be considered"). A ``ValueError`` is raised when the two
mappings share no module. All results are deterministic: they depend on the partitions only,
not on the order of the mappings or the spelling of the cluster names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
from networkx.algorithms import bipartite


def common_modules(found: Mapping[str, str], truth: Mapping[str, str]) -> list[str]:
    """The modules both mappings assign, sorted; raises ValueError when there is none."""
    common = sorted(set(found) & set(truth))
    if not common:
        raise ValueError("the two partitions share no module")
    return common


def _clusters(partition: Mapping[str, str], modules: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        groups[partition[module]].append(module)
    return {name: groups[name] for name in sorted(groups)}


def mojo_distance(found: Mapping[str, str], truth: Mapping[str, str]) -> int:
    """MoJo distance mno(A, B): the fewest Move and Join operations that turn A into B.

    A = ``found``, B = ``truth``. A Move takes one module out of its cluster and puts it in
    another cluster, possibly a new one; a Join merges two clusters into one. MoJo is not
    symmetric: mno(A, B) and mno(B, A) differ in general.

    Exact algorithm (Wen and Tzerpos): for each cluster A_i of A and B_j of B let
    v_ij = |A_i ∩ B_j|. Tag A_i with *every* B_j of maximal v_ij. In the bipartite graph with
    an edge A_i – B_j for each tag, a maximum matching assigns as many clusters of A as
    possible to distinct groups; its size is g, the number of non-empty groups. Then::

        mno(A, B) = M + J,   M = Σ_i (|A_i| − max_j v_ij),   J = l − g

    where l is the number of clusters of A: every module of A_i outside its group's B cluster
    is moved (M), and the l clusters of A are joined into g groups (J). The matching is
    computed with networkx's Hopcroft–Karp.

    Source: Z. Wen and V. Tzerpos, "An optimal algorithm for MoJo distance", Proc. 11th IEEE
    IWPC, 2003 (also cited as "An efficient algorithm for the MoJo distance"), which made exact
    the heuristic of V. Tzerpos and R. C. Holt, "MoJo: a distance metric for software
    clusterings", WCRE 1999. Checked against the reference implementation
    (``MoJoCalculator.calculateCost``: ``moves + l − non_empty_groups``) and, in the tests,
    against a breadth-first search over move and join operations.
    """
    modules = common_modules(found, truth)
    graph = nx.Graph()
    top: list[tuple[str, str]] = []
    moves = 0
    for name, members in _clusters(found, modules).items():
        overlap = Counter(truth[module] for module in members)
        best = max(overlap.values())
        moves += len(members) - best
        node = ("found", name)
        top.append(node)
        graph.add_node(node)
        for target, count in sorted(overlap.items()):
            if count == best:
                graph.add_edge(node, ("truth", target))
    matching = bipartite.hopcroft_karp_matching(graph, top_nodes=top)
    groups = sum(1 for node in top if node in matching)
    return moves + len(top) - groups


def max_mojo_distance(truth: Mapping[str, str]) -> int:
    """max over all partitions A' of mno(A', B), for B = ``truth``, in closed form.

    Sort the cluster sizes of B ascending, b_1 ≤ … ≤ b_k, and count g: start at 0 and add 1
    for each b_i with g < b_i (for sizes 1, 2, 3, 4, 5, 6, 7, 8, 10, 10, 10, 15, g = 11). Then::

        max_A' mno(A', B) = n − g

    for n modules. Source: Z. Wen and V. Tzerpos, "An effectiveness measure for software
    clustering algorithms", Proc. 12th IEEE IWPC, 2004, pp. 194–203; the same computation as
    the reference implementation's ``maxDistanceTo`` ("return n - l + l - g = n - g"). Checked
    in the tests by enumerating every partition of small module sets.
    """
    sizes = sorted(Counter(truth.values()).values())
    groups = 0
    for size in sizes:
        if groups < size:
            groups += 1
    return len(truth) - groups


def mojofm(found: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """MoJoFM(A, B) = (1 − mno(A, B) / max_A' mno(A', B)) × 100, A = ``found``, B = ``truth``.

    mno is :func:`mojo_distance` and the maximum is :func:`max_mojo_distance` of B restricted
    to the common modules. Range [0, 100]; 100 when A and B are the same partition, 0 when A is
    as far from B as any partition can be. Not rounded. With one common module (the maximum
    is then 0) the partitions cannot differ and the result is 100.0.

    Source: Z. Wen and V. Tzerpos, "An effectiveness measure for software clustering
    algorithms", Proc. 12th IEEE IWPC, 2004, pp. 194–203.
    """
    modules = common_modules(found, truth)
    worst = max_mojo_distance({module: truth[module] for module in modules})
    if worst == 0:
        return 100.0
    return (1.0 - mojo_distance(found, truth) / worst) * 100.0


def adjusted_rand(found: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """Adjusted Rand index of the two partitions on their common modules (symmetric).

    ARI = (RI − E[RI]) / (max RI − E[RI]), the Rand index corrected for chance under the
    permutation model; 1.0 for identical partitions, about 0.0 for a random one, negative when
    worse than chance. Computed with :func:`sklearn.metrics.adjusted_rand_score`.

    Source: L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2, 1985.
    """
    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.metrics import adjusted_rand_score

    modules = common_modules(found, truth)
    return float(
        adjusted_rand_score([truth[m] for m in modules], [found[m] for m in modules]) + 0.0
    )


def nmi(found: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """Normalized mutual information of the two partitions on their common modules (symmetric).

    NMI = I(A; B) / ((H(A) + H(B)) / 2), the arithmetic-mean normalization; range [0, 1],
    1.0 for identical partitions. Computed with
    :func:`sklearn.metrics.normalized_mutual_info_score` (``average_method="arithmetic"``).

    Source: A. Strehl and J. Ghosh, "Cluster ensembles — a knowledge reuse framework for
    combining multiple partitions", JMLR 3, 2002; N. X. Vinh, J. Epps and J. Bailey,
    "Information theoretic measures for clusterings comparison", JMLR 11, 2010.
    """
    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.metrics import normalized_mutual_info_score

    modules = common_modules(found, truth)
    return float(
        normalized_mutual_info_score(
            [truth[m] for m in modules], [found[m] for m in modules], average_method="arithmetic"
        )
        + 0.0
    )


@dataclass(frozen=True)
class PartitionAgreement:
    """All agreement numbers of one found partition against the truth, on common modules."""

    modules: int
    found_clusters: int
    truth_clusters: int
    mojo: int
    mojofm: float
    ari: float
    nmi: float

    def as_dict(self) -> dict[str, int | float]:
        return {
            "modules": self.modules,
            "found_clusters": self.found_clusters,
            "truth_clusters": self.truth_clusters,
            "mojo": self.mojo,
            "mojofm": self.mojofm,
            "ari": self.ari,
            "nmi": self.nmi,
        }


def compare_partitions(found: Mapping[str, str], truth: Mapping[str, str]) -> PartitionAgreement:
    """MoJo, MoJoFM, ARI and NMI of ``found`` against ``truth`` (see each function)."""
    modules = common_modules(found, truth)
    return PartitionAgreement(
        modules=len(modules),
        found_clusters=len({found[m] for m in modules}),
        truth_clusters=len({truth[m] for m in modules}),
        mojo=mojo_distance(found, truth),
        mojofm=mojofm(found, truth),
        ari=adjusted_rand(found, truth),
        nmi=nmi(found, truth),
    )
