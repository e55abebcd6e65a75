"""Clustering algorithms behind one interface, over a symmetric module similarity.

Every algorithm is a pure function `(similarity, count, seed, **params) -> labels`: one label per
module, aligned with `Similarity.modules`, numbered canonically (largest cluster first, ties by
smallest member name), the same for the same input and seed whatever the string hash seed.
`count=None` lets the algorithm pick the number of clusters by one objective, Newman modularity:
Louvain maximizes it itself; agglomerative, spectral and Bunch (whose TurboMQ climbs run at each
candidate count) keep the candidate partition of highest modularity (`choose_count`).

Shared conventions, so every algorithm treats the awkward inputs alike:
- a module with no similarity to any other (an isolated module) carries no evidence for any
  cluster: the algorithm runs on the linked modules only and each isolated module then joins
  the cluster of the linked modules in its package (by name, the only evidence left);
- a given `count` is met exactly (capped at the number of modules): when an algorithm's own
  result is off, clusters are merged by best modularity gain or the largest is bisected by a
  spectral sweep cut (`fit_count`);
- BLAS runs single-threaded inside the algorithms (faster on these small dense steps, and the
  same floating-point result on every machine load).

`cluster` adds constraints (pins, together, apart, max_size) around any algorithm, and
`stability` measures how much the result depends on the seed.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import scipy.linalg
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from threadpoolctl import threadpool_limits

Labels = tuple[int, ...]
Algorithm = Callable[..., Labels]

MAX_RESOLUTION_TRIES = 16
"""Louvain runs allowed when searching the resolution that yields a given count."""
RESOLUTION_BOUNDS = (1e-4, 1e4)
MAX_COUNT_CANDIDATES = 64
"""choose_count evaluates at most this many counts (evenly spread over the range)."""
BUNCH_RESTARTS = 3
BUNCH_MAX_PASSES = 200
BUNCH_COUNT_CANDIDATES = 16
"""Counts bunch climbs when it chooses the count (each is a full climb)."""
DENSE_BISECT_LIMIT = 400
"""Bisection uses a dense eigensolver up to this many modules, ARPACK above."""
_GAIN_EPS = 1e-12


@dataclass(frozen=True, eq=False)
class Similarity:
    """A symmetric, non-negative module similarity with a zero diagonal.

    `modules` are sorted and unique; `matrix` (CSR, float64) is aligned with them. Compared by
    identity (a sparse matrix has no truth value for `==`).
    """

    modules: tuple[str, ...]
    matrix: sp.csr_matrix

    def __post_init__(self) -> None:
        modules = tuple(self.modules)
        if any(a >= b for a, b in zip(modules, modules[1:], strict=False)):
            raise ValueError("Similarity.modules must be sorted and unique")
        matrix = sp.csr_matrix(self.matrix, dtype=np.float64, copy=True)
        if matrix.shape != (len(modules), len(modules)):
            raise ValueError(
                f"Similarity.matrix has shape {matrix.shape}, expected "
                f"{(len(modules), len(modules))}"
            )
        matrix.eliminate_zeros()
        matrix.sort_indices()
        if matrix.nnz:
            if not np.isfinite(matrix.data).all():
                raise ValueError("Similarity.matrix has a non-finite entry")
            if matrix.data.min() < 0:
                raise ValueError("Similarity.matrix has a negative entry")
            if matrix.diagonal().any():
                raise ValueError("Similarity.matrix has a non-zero diagonal")
            if abs(matrix - matrix.T).max() > 1e-9 * matrix.data.max():
                raise ValueError("Similarity.matrix is not symmetric")
        object.__setattr__(self, "modules", modules)
        object.__setattr__(self, "matrix", matrix)

    @classmethod
    def from_edges(
        cls, modules: Iterable[str], edges: Iterable[tuple[str, str, float]]
    ) -> Similarity:
        """Modules plus weighted pairs; a pair given twice (either way round) adds up,
        self-pairs are dropped. Endpoints missing from `modules` are added."""
        pairs = [(a, b, float(w)) for a, b, w in edges if a != b]
        names = sorted(set(modules) | {m for a, b, _ in pairs for m in (a, b)})
        index = {m: i for i, m in enumerate(names)}
        rows = [index[a] for a, _, _ in pairs] + [index[b] for _, b, _ in pairs]
        cols = [index[b] for _, b, _ in pairs] + [index[a] for a, _, _ in pairs]
        data = [w for _, _, w in pairs] * 2
        n = len(names)
        matrix = sp.coo_matrix((data, (rows, cols)), shape=(n, n), dtype=np.float64).tocsr()
        return cls(tuple(names), matrix)

    @classmethod
    def from_graph(cls, graph: nx.Graph, weight: str = "weight") -> Similarity:
        """From a networkx graph (edge attribute `weight`, default 1.0). The edges of a
        directed graph are made symmetric by adding u→v and v→u."""
        edges = sorted((str(u), str(v), d.get(weight, 1.0)) for u, v, d in graph.edges(data=True))
        return cls.from_edges((str(node) for node in graph.nodes), edges)

    def to_graph(self) -> nx.Graph:
        """The similarity as an undirected networkx graph, nodes and edges in sorted order."""
        graph = nx.Graph()
        graph.add_nodes_from(self.modules)
        upper = sp.triu(self.matrix, k=1).tocoo()
        order = np.lexsort((upper.col, upper.row))
        graph.add_weighted_edges_from(
            (self.modules[upper.row[i]], self.modules[upper.col[i]], float(upper.data[i]))
            for i in order
        )
        return graph

    @property
    def size(self) -> int:
        return len(self.modules)

    def degrees(self) -> np.ndarray:
        """Weighted degree of each module (its row sum)."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def subset(self, indices: Sequence[int] | np.ndarray) -> Similarity:
        """The similarity among the modules at `indices` (sorted)."""
        keep = np.sort(np.asarray(indices, dtype=np.int64))
        return Similarity(tuple(self.modules[i] for i in keep), self.matrix[keep][:, keep].tocsr())


# -- labels and objectives ------------------------------------------------------------------


def canonical_labels(labels: Sequence[int] | np.ndarray) -> Labels:
    """Renumber clusters 0, 1, ... by size descending, then by smallest member (the smallest
    index, which is the smallest name since modules are sorted)."""
    array = np.asarray(labels, dtype=np.int64)
    if array.size == 0:
        return ()
    _, inverse, counts = np.unique(array, return_inverse=True, return_counts=True)
    first = np.full(counts.size, array.size, dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(array.size))
    order = np.lexsort((first, -counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return tuple(int(x) for x in rank[inverse])


def _dense(labels: Sequence[int] | np.ndarray) -> tuple[np.ndarray, int]:
    """Labels as 0..k-1 (in order of first appearance of the sorted label values) and k."""
    _, inverse = np.unique(np.asarray(labels, dtype=np.int64), return_inverse=True)
    inverse = inverse.ravel()
    return inverse, int(inverse.max()) + 1 if inverse.size else 0


def _intra_and_volume(
    similarity: Similarity, labels: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    dense, k = _dense(labels)
    coo = similarity.matrix.tocoo()
    same = dense[coo.row] == dense[coo.col]
    inside = np.bincount(dense[coo.row[same]], weights=coo.data[same], minlength=k)
    volume = np.bincount(dense, weights=similarity.degrees(), minlength=k)
    return inside, volume


def modularity(
    similarity: Similarity, labels: Sequence[int] | np.ndarray, resolution: float = 1.0
) -> float:
    """Newman's modularity Q of a partition on the weighted similarity graph.

    Q = Σ_c [ L_c / m − γ (d_c / 2m)² ], where m is the total edge weight, L_c the weight of
    edges inside cluster c, d_c the summed weighted degree of c's modules and γ the resolution
    (1 for the classic definition). Range [−0.5, 1); higher is better; 0.0 without edges.
    Equal to `networkx.community.modularity` on `similarity.to_graph()`.

    Source: M. E. J. Newman and M. Girvan, "Finding and evaluating community structure in
    networks", Phys. Rev. E 69, 026113 (2004); M. E. J. Newman, "Modularity and community
    structure in networks", PNAS 103(23), 2006.
    """
    if similarity.size == 0:
        return 0.0
    inside, volume = _intra_and_volume(similarity, labels)
    two_m = float(volume.sum())
    if two_m == 0:
        return 0.0
    return float(np.sum(inside / two_m - resolution * (volume / two_m) ** 2))


def turbo_mq(similarity: Similarity, labels: Sequence[int] | np.ndarray) -> float:
    """TurboMQ, the weighted Modularization Quality that Bunch maximizes.

    TurboMQ = Σ_i CF_i, CF_i = 2μ_i / (2μ_i + Σ_{j≠i} (ε_ij + ε_ji)), where μ_i is the weight
    of edges inside cluster i and ε_ij the weight of edges from cluster i to cluster j; CF_i = 0
    when μ_i = 0. On a symmetric similarity (each pair one undirected edge, or equivalently two
    directed ones) this is CF_i = in_i / vol_i with in_i the summed similarity between ordered
    pairs inside i and vol_i the summed degree of i's modules. Range [0, k] for k clusters;
    higher is better.

    Source: B. S. Mitchell and S. Mancoridis, "On the automatic modularization of software
    systems using the Bunch tool", IEEE TSE 32(3), 2006.
    """
    if similarity.size == 0:
        return 0.0
    inside, volume = _intra_and_volume(similarity, labels)
    positive = inside > 0
    return float(np.sum(inside[positive] / volume[positive]))


def count_candidates(n: int, limit: int = MAX_COUNT_CANDIDATES) -> tuple[int, ...]:
    """Cluster counts worth trying for n modules: 2..min(n−1, max(2, round(2√n))), evenly
    sampled down to `limit` values (both ends kept) when the range is longer."""
    upper = min(n - 1, max(2, round(2 * math.sqrt(n))))
    if upper < 2:
        return ()
    if upper - 1 <= limit:
        return tuple(range(2, upper + 1))
    picked = np.unique(np.round(np.linspace(2, upper, limit)).astype(np.int64))
    return tuple(int(k) for k in picked)


def choose_count(
    similarity: Similarity,
    candidates: Iterable[int],
    labels_for_k: Callable[[int], Sequence[int]],
) -> tuple[int, Labels]:
    """The candidate count whose partition has the highest Newman modularity (`modularity`),
    with that partition; ties go to the smaller count. No candidate: one cluster.

    One objective shared by the algorithms that do not pick a count themselves, so counts found
    by different algorithms are comparable.
    """
    best: tuple[float, int, Labels] | None = None
    for k in sorted(set(candidates)):
        labels = canonical_labels(labels_for_k(k))
        score = modularity(similarity, labels)
        if best is None or score > best[0] + _GAIN_EPS:
            best = (score, k, labels)
    if best is None:
        return 1, (0,) * similarity.size
    return best[1], best[2]


# -- meeting a count: merge and bisect -----------------------------------------------------


def _merge_ladder(
    similarity: Similarity, labels: Sequence[int] | np.ndarray, counts: Iterable[int]
) -> dict[int, np.ndarray]:
    """Merge clusters, each time the pair of highest modularity gain
    (ΔQ = 2(w_ab / 2m − d_a d_b / (2m)²)), and keep the partition met at each of `counts`
    that is not above the current number of clusters."""
    dense, c = _dense(labels)
    wanted = {k for k in counts if 1 <= k <= c}
    ladder = {c: dense} if c in wanted else {}
    if not wanted or min(wanted) == c:
        return ladder
    n = similarity.size
    member = sp.csr_matrix((np.ones(n), (np.arange(n), dense)), shape=(n, c))
    weight = (member.T @ similarity.matrix @ member).toarray()
    volume = weight.sum(axis=1)
    two_m = float(volume.sum()) or 1.0
    alive = np.ones(c, dtype=bool)
    target = np.arange(c)
    lower = np.tril(np.ones((c, c), dtype=bool))
    for remaining in range(c - 1, min(wanted) - 1, -1):
        gain = weight / two_m - np.outer(volume, volume) / two_m**2
        gain[lower | ~alive[:, None] | ~alive[None, :]] = -np.inf
        a, b = np.unravel_index(int(np.argmax(gain)), gain.shape)
        weight[a, :] += weight[b, :]
        weight[:, a] += weight[:, b]
        volume[a] += volume[b]
        alive[b] = False
        target[target == b] = a
        if remaining in wanted:
            ladder[remaining] = _dense(target[dense])[0]
    return ladder


def _bisect(similarity: Similarity) -> np.ndarray:
    """Split modules in two: connected components balanced by size when the graph is
    disconnected, otherwise the sweep cut of least conductance along the Fiedler vector.

    Conductance of a side S: cut(S) / min(vol(S), vol(rest)). Source: F. R. K. Chung,
    "Spectral Graph Theory", AMS 1997, ch. 2 (Cheeger sweep).
    """
    n = similarity.size
    side = np.zeros(n, dtype=bool)
    if n < 2:
        return side
    parts, component = connected_components(similarity.matrix, directed=False)
    if parts > 1:
        sizes = np.bincount(component)
        order = np.lexsort((np.arange(parts), -sizes))
        left = right = 0
        for part in order:
            if left <= right:
                side[component == part] = True
                left += sizes[part]
            else:
                right += sizes[part]
        return side
    degrees = similarity.degrees()
    if n == 2:
        side[0] = True
        return side
    if n <= DENSE_BISECT_LIMIT:
        scale = 1 / np.sqrt(degrees)
        normalized = scale[:, None] * similarity.matrix.toarray() * scale[None, :]
        _, vectors = scipy.linalg.eigh(np.eye(n) - normalized, subset_by_index=[0, 1])
        fiedler = vectors[:, 1] * scale
    else:
        # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
        from sklearn.manifold import spectral_embedding

        fiedler = spectral_embedding(
            similarity.matrix, n_components=2, drop_first=False, random_state=0
        )[:, 1]
    order = np.lexsort((np.arange(n), fiedler))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    coo = similarity.matrix.tocoo()
    earlier = position[coo.col] < position[coo.row]
    back = np.bincount(position[coo.row[earlier]], weights=coo.data[earlier], minlength=n)
    cut = np.cumsum(degrees[order] - 2 * back)[:-1]
    volume = np.cumsum(degrees[order])[:-1]
    total = degrees.sum()
    conductance = cut / np.minimum(volume, total - volume)
    best = int(np.argmin(conductance))
    side[order[: best + 1]] = True
    return side


def _split_up(similarity: Similarity, labels: np.ndarray, k: int) -> np.ndarray:
    """Bisect the largest cluster (ties: smallest member) until k clusters exist."""
    labels, c = _dense(labels)
    labels = labels.copy()
    while c < k:
        canon = np.asarray(canonical_labels(labels))
        counts = np.bincount(canon)
        if counts[0] < 2:
            break
        members = np.flatnonzero(canon == 0)
        side = _bisect(similarity.subset(members))
        labels[members[side]] = c
        c += 1
    return labels


def fit_count(similarity: Similarity, labels: Sequence[int] | np.ndarray, count: int) -> Labels:
    """The partition with exactly `count` clusters (capped at the number of modules) closest
    to `labels`: merges by modularity gain when there are too many, bisections of the largest
    cluster when too few. Canonically numbered."""
    dense, c = _dense(labels)
    count = min(count, similarity.size)
    if c > count:
        dense = _merge_ladder(similarity, dense, (count,))[count]
    elif c < count:
        dense = _split_up(similarity, dense, count)
    return canonical_labels(dense)


# -- the shared frame of every algorithm ---------------------------------------------------


def _check_run(count: int | None, seed: int) -> None:
    if count is not None and (isinstance(count, bool) or count < 1):
        raise ValueError(f"count must be a positive integer or None, got {count!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def _linked(similarity: Similarity) -> np.ndarray:
    return np.flatnonzero(similarity.degrees() > 0)


def _chunks(size: int, parts: int) -> np.ndarray:
    """Labels cutting `size` name-ordered modules into `parts` contiguous, near-equal runs."""
    return (np.arange(size) * parts) // max(size, 1)


def _attach_by_name(
    modules: Sequence[str], labels: np.ndarray, linked: np.ndarray, isolated: np.ndarray
) -> None:
    """Give each isolated module the cluster of the linked modules that share its longest
    package prefix (most of them; ties: the larger cluster, then the smaller label); with no
    package in common, the largest cluster. In place."""
    names = [modules[i] for i in linked.tolist()]
    linked_labels = labels[linked]
    sizes = np.bincount(linked_labels)
    fallback = int(np.lexsort((np.arange(sizes.size), -sizes))[0])
    for i in isolated.tolist():
        parts = modules[i].split(".")
        labels[i] = fallback
        for depth in range(len(parts) - 1, 0, -1):
            package = ".".join(parts[:depth])
            low = bisect_left(names, package)
            high = bisect_left(names, package + "/")  # package itself and package.*
            inside = [
                j
                for j in range(low, high)
                if names[j] == package or names[j].startswith(package + ".")
            ]
            if inside:
                votes = np.bincount(linked_labels[inside], minlength=sizes.size)
                labels[i] = int(np.lexsort((np.arange(sizes.size), -sizes, -votes))[0])
                break


def _run(
    similarity: Similarity,
    count: int | None,
    seed: int,
    core: Callable[[Similarity, int | None, int], Sequence[int]],
) -> Labels:
    """Run `core` on the linked modules (at least two, count None or 2 ≤ count < modules),
    attach the isolated ones and meet `count` exactly.

    An isolated module (no similarity to any other) carries no evidence for any cluster, so it
    does not take part in the clustering: it joins by name (`_attach_by_name`), the package
    structure being the only evidence left. When there are fewer linked modules than `count`,
    the linked ones are singletons and the isolated ones are cut, in name order, into the
    remaining clusters; without any linked module the modules are cut likewise."""
    _check_run(count, seed)
    n = similarity.size
    if n == 0:
        return ()
    k = None if count is None else min(count, n)
    if k == 1:
        return (0,) * n
    if k == n:
        return tuple(range(n))
    linked = _linked(similarity)
    isolated = np.setdiff1d(np.arange(n), linked)
    labels = np.zeros(n, dtype=np.int64)
    if linked.size == 0:
        labels[:] = _chunks(n, k or 1)
        return canonical_labels(labels)
    if k is not None and linked.size < k:
        labels[linked] = np.arange(linked.size)
        labels[isolated] = linked.size + _chunks(isolated.size, k - linked.size)
        return canonical_labels(labels)
    sub = similarity.subset(linked) if isolated.size else similarity
    if linked.size == 1 or k == 1:
        found: Sequence[int] = (0,) * linked.size
    elif k == linked.size:
        found = tuple(range(linked.size))
    else:
        # Single-threaded BLAS: the dense steps are small, and on few cores OpenBLAS threads
        # made them up to 100× slower (pivoted QR of 89 × 2,000: 0.7 s against 7 ms).
        with threadpool_limits(limits=1, user_api="blas"):
            found = core(sub, k, seed)
            if k is not None:
                found = fit_count(sub, found, k)
    labels[linked] = _dense(found)[0]
    if isolated.size:
        _attach_by_name(similarity.modules, labels, linked, isolated)
    return canonical_labels(labels)


# -- Louvain -------------------------------------------------------------------------------


def _index_graph(similarity: Similarity) -> nx.Graph:
    """Integer-node graph (0..n-1 = sorted modules); ints hash the same in every process."""
    graph = nx.Graph()
    graph.add_nodes_from(range(similarity.size))
    upper = sp.triu(similarity.matrix, k=1).tocoo()
    order = np.lexsort((upper.col, upper.row))
    graph.add_weighted_edges_from(
        (int(upper.row[i]), int(upper.col[i]), float(upper.data[i])) for i in order
    )
    return graph


def _louvain_once(graph: nx.Graph, resolution: float, seed: int) -> np.ndarray:
    communities = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    labels = np.zeros(graph.number_of_nodes(), dtype=np.int64)
    for number, members in enumerate(sorted(sorted(c) for c in communities)):
        labels[members] = number
    return labels


def louvain(
    similarity: Similarity, count: int | None = None, seed: int = 0, *, resolution: float = 1.0
) -> Labels:
    """Louvain community detection (networkx, seeded), maximizing modularity at `resolution`.

    With `count`, the resolution is searched (geometric bisection from `resolution`, at most
    MAX_RESOLUTION_TRIES runs) for the run whose count is closest; `fit_count` closes any
    remaining gap. Source: V. D. Blondel et al., "Fast unfolding of communities in large
    networks", J. Stat. Mech. (2008) P10008.
    """
    if resolution <= 0:
        raise ValueError(f"resolution must be positive, got {resolution!r}")

    def core(sub: Similarity, k: int | None, seed: int) -> Sequence[int]:
        graph = _index_graph(sub)
        labels = _louvain_once(graph, resolution, seed)
        if k is None:
            return labels
        best = (abs(int(labels.max()) + 1 - k), 0.0, labels)
        low: float | None = None
        high: float | None = None
        current = resolution
        for _ in range(MAX_RESOLUTION_TRIES - 1):
            found = int(labels.max()) + 1
            if found == k:
                break
            if found < k:
                low = current
                current = current * 4 if high is None else math.sqrt(current * high)
            else:
                high = current
                current = current / 4 if low is None else math.sqrt(current * low)
            current = min(max(current, RESOLUTION_BOUNDS[0]), RESOLUTION_BOUNDS[1])
            labels = _louvain_once(graph, current, seed)
            gap = abs(int(labels.max()) + 1 - k)
            distance = abs(math.log(current / resolution))
            if (gap, distance) < best[:2]:
                best = (gap, distance, labels)
        return best[2]

    return _run(similarity, count, seed, core)


# -- agglomerative -------------------------------------------------------------------------


def _normalized(similarity: Similarity) -> sp.csr_matrix:
    """D^-1/2 S D^-1/2: each similarity relative to both modules' total similarity."""
    scale = 1 / np.sqrt(similarity.degrees())
    return sp.csr_matrix(sp.diags(scale) @ similarity.matrix @ sp.diags(scale))


def _tree_cuts(children: np.ndarray, n: int, counts: Iterable[int]) -> dict[int, np.ndarray]:
    """Labels of the merge tree cut at each count: the first n − k merges applied."""
    wanted = set(counts)
    parent = list(range(2 * n - 1))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    cuts: dict[int, np.ndarray] = {}
    if n in wanted:
        cuts[n] = np.arange(n)
    for step, (a, b) in enumerate(children.tolist()):
        parent[a] = parent[b] = n + step
        if n - step - 1 in wanted:
            cuts[n - step - 1] = np.array([find(i) for i in range(n)])
    return cuts


def agglomerative(
    similarity: Similarity, count: int | None = None, seed: int = 0, *, linkage: str = "average"
) -> Labels:
    """Hierarchical clustering (sklearn AgglomerativeClustering, precomputed distances).

    Distance = 1 − s'/max s' with s' = D^-1/2 S D^-1/2, the similarity normalized by both
    modules' degrees, average linkage. Average linkage on raw similarity (or on the cosine of
    similarity rows) chains: hub modules pull most modules into one giant cluster (measured on
    planted groups with hubs: largest cluster 52–77% of the modules, ARI 0.1–0.3); normalized,
    a hub's many ties no longer outweigh a small module's few strong ones (largest 16–30%,
    ARI 0.5–0.7, on par with Louvain). The `connectivity` argument was tried and is not used:
    restricted to graph edges, sklearn's average linkage averages only the existing ties and
    chains worse (ARI ≈ 0.05). Ward needs Euclidean features, so it cannot take precomputed
    distances. The full tree is built once and cut at each candidate count. `seed` is unused
    (the method is deterministic). Memory is O(n²): fine to a few thousand modules.
    """
    if linkage not in ("average", "complete", "single"):
        raise ValueError(f"linkage must be average, complete or single, got {linkage!r}")

    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.cluster import AgglomerativeClustering

    def core(sub: Similarity, k: int | None, seed: int) -> Sequence[int]:
        normalized = _normalized(sub).toarray()
        distance = 1 - normalized / normalized.max()
        np.fill_diagonal(distance, 0.0)
        model = AgglomerativeClustering(
            n_clusters=1, metric="precomputed", linkage=linkage, compute_full_tree=True
        ).fit(distance)
        wanted = count_candidates(sub.size) if k is None else (k,)
        cuts = _tree_cuts(model.children_, sub.size, wanted)
        if k is not None:
            return cuts[k]
        return choose_count(sub, wanted, cuts.__getitem__)[1]

    return _run(similarity, count, seed, core)


# -- spectral ------------------------------------------------------------------------------


def _connected_affinity(similarity: Similarity) -> sp.csr_matrix:
    """The similarity with components chained by a tiny edge (1e-3 × the smallest weight)
    between their highest-degree modules, so the spectral embedding is well defined; the cut
    falls on those edges first, so a component stays whole unless the count demands more."""
    parts, component = connected_components(similarity.matrix, directed=False)
    if parts == 1:
        return similarity.matrix
    degrees = similarity.degrees()
    hubs = []
    for part in range(parts):
        members = np.flatnonzero(component == part)
        hubs.append(int(members[np.argmax(degrees[members])]))
    epsilon = 1e-3 * float(similarity.matrix.data.min())
    rows = hubs[:-1] + hubs[1:]
    cols = hubs[1:] + hubs[:-1]
    n = similarity.size
    bridge = sp.csr_matrix(([epsilon] * len(rows), (rows, cols)), shape=(n, n))
    return sp.csr_matrix(similarity.matrix + bridge)


def _cluster_qr(vectors: np.ndarray) -> np.ndarray:
    """Discrete partition nearest to a spectral embedding, as sklearn's `cluster_qr`.

    Source: A. Damle, V. Minden and L. Ying, "Simple, direct and efficient multi-way spectral
    clustering", Information and Inference 8(1), 2019.
    """
    k = vectors.shape[1]
    _, _, pivots = scipy.linalg.qr(vectors.T, pivoting=True)
    ut, _, v = scipy.linalg.svd(vectors[pivots[:k], :].T)
    return np.abs(vectors @ (ut @ v.conj())).argmax(axis=1)


def spectral(similarity: Similarity, count: int | None = None, seed: int = 0) -> Labels:
    """Spectral clustering: sklearn SpectralClustering(affinity="precomputed",
    assign_labels="cluster_qr", random_state=seed) on the similarity.

    Isolated modules are handled by the shared frame; disconnected components are chained by
    tiny edges (`_connected_affinity`). To choose the count, the embedding is computed once
    with the largest candidate's number of eigenvectors and each candidate is assigned with
    cluster_qr on its leading columns; the chosen count is then run through SpectralClustering,
    the same run as for that count given explicitly.
    """

    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.cluster import SpectralClustering
    from sklearn.manifold import spectral_embedding

    def fit(affinity: sp.csr_matrix, k: int) -> np.ndarray:
        model = SpectralClustering(
            n_clusters=k,
            affinity="precomputed",
            assign_labels="cluster_qr",
            random_state=seed,
        )
        return model.fit(affinity).labels_

    def core(sub: Similarity, k: int | None, seed: int) -> Sequence[int]:
        affinity = _connected_affinity(sub)
        if k is not None:
            return fit(affinity, k)
        candidates = count_candidates(sub.size)
        if not candidates:
            return (0,) * sub.size
        maps = spectral_embedding(
            affinity, n_components=max(candidates), drop_first=False, random_state=seed
        )
        chosen, _ = choose_count(sub, candidates, lambda c: _cluster_qr(maps[:, :c]))
        return fit(affinity, chosen)

    return _run(similarity, count, seed, core)


# -- Bunch ---------------------------------------------------------------------------------


def _cf(inside: float, volume: float) -> float:
    """in/vol, 0 for a cluster without inner ties (below 1e-9 counts as rounding residue of
    the incremental updates)."""
    return inside / volume if volume > 0 and inside > 1e-9 * volume else 0.0


def _climb(
    indptr: list[int],
    indices: list[int],
    data: list[float],
    degree: list[float],
    start: Sequence[int],
    fixed: bool,
    rng: np.random.Generator,
) -> list[int]:
    """Hill climbing on TurboMQ by single-module moves.

    Modules are visited in a seeded order; each moves to the neighbouring cluster (or, when the
    count is free, to a new cluster) that raises TurboMQ most, if any does. ΔMQ of a move needs
    only the module's ties to each cluster and the clusters' in/vol totals, so a visit costs
    O(degree). Repeats until a full pass moves nothing. `fixed` forbids emptying a cluster and
    opening one, so the count stays.
    """
    labels = list(_dense(start)[0])
    n = len(labels)
    k = max(labels) + 1
    inside = [0.0] * (k + n)
    volume = [0.0] * (k + n)
    size = [0] * (k + n)
    for v in range(n):
        a = labels[v]
        volume[a] += degree[v]
        size[a] += 1
        for j in range(indptr[v], indptr[v + 1]):
            if labels[indices[j]] == a:
                inside[a] += data[j]
    free = [c for c in range(k + n - 1, -1, -1) if size[c] == 0]
    for _ in range(BUNCH_MAX_PASSES):
        moved = False
        for v in rng.permutation(n).tolist():
            a = labels[v]
            if fixed and size[a] == 1:
                continue
            ties: dict[int, float] = {}
            for j in range(indptr[v], indptr[v + 1]):
                c = labels[indices[j]]
                ties[c] = ties.get(c, 0.0) + data[j]
            dv = degree[v]
            tie_a = ties.get(a, 0.0)
            loss = _cf(inside[a] - 2 * tie_a, volume[a] - dv) - _cf(inside[a], volume[a])
            best_gain, best, best_tie = _GAIN_EPS, -1, 0.0
            for b in sorted(ties):
                if b == a:
                    continue
                tie_b = ties[b]
                gain = loss + _cf(inside[b] + 2 * tie_b, volume[b] + dv) - _cf(inside[b], volume[b])
                if gain > best_gain:
                    best_gain, best, best_tie = gain, b, tie_b
            if not fixed and size[a] > 1 and loss > best_gain:
                best, best_tie = free[-1], 0.0  # a cluster of its own: CF 0, only a's CF moves
            if best < 0:
                continue
            if size[best] == 0:
                free.pop()
            inside[a] -= 2 * tie_a
            volume[a] -= dv
            size[a] -= 1
            if size[a] == 0:
                inside[a] = volume[a] = 0.0
                free.append(a)
            inside[best] += 2 * best_tie
            volume[best] += dv
            size[best] += 1
            labels[v] = best
            moved = True
        if not moved:
            break
    return labels


def _random_partition(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """k non-empty clusters: a seeded permutation deals the first k modules one per cluster."""
    labels = rng.integers(0, k, size=n)
    labels[rng.permutation(n)[:k]] = np.arange(k)
    return labels


def bunch(
    similarity: Similarity,
    count: int | None = None,
    seed: int = 0,
    *,
    restarts: int = BUNCH_RESTARTS,
    initial: Sequence[int] | None = None,
    count_by: str = "modularity",
) -> Labels:
    """Bunch-style hill climbing that maximizes TurboMQ (`turbo_mq`).

    Free climbs start from `restarts` seeded random partitions of ⌈√n⌉ clusters and may open
    and empty clusters; the best by TurboMQ (ties: the earliest) is the free result.
    - `count` given: climbs that keep exactly `count` clusters, from `restarts` seeded random
      partitions of that many clusters and from the free result brought to `count` by
      `fit_count`; the best by TurboMQ wins.
    - `count` None and `count_by="modularity"` (default): the free result is merged (best
      modularity gain) or bisected to each candidate count, each is climbed with its count
      kept, and `choose_count` picks by modularity, the objective shared by all algorithms.
      TurboMQ alone is not used to pick the count: its optimum peels weakly tied modules into
      singletons (CF 0) because removing them raises their cluster's in/vol, and splits sparse
      groups (on planted 4-group graphs the climb reaches TurboMQ 4.9 against 3.9 for the
      planted partition).
    - `count_by="turbomq"`: the free result as is, Bunch's own count.
    - `initial` given: one climb from it (count kept when `count` is given), as a refinement.

    Source: B. S. Mitchell and S. Mancoridis, "On the automatic modularization of software
    systems using the Bunch tool", IEEE TSE 32(3), 2006.
    """
    if restarts < 1:
        raise ValueError(f"restarts must be at least 1, got {restarts!r}")
    if count_by not in ("modularity", "turbomq"):
        raise ValueError(f"count_by must be modularity or turbomq, got {count_by!r}")
    start: np.ndarray | None = None
    if initial is not None:
        if len(initial) != similarity.size:
            raise ValueError("initial labels must have one label per module")
        start = np.asarray(initial, dtype=np.int64)[_linked(similarity)]

    def core(sub: Similarity, k: int | None, seed: int) -> Sequence[int]:
        matrix = sub.matrix
        arrays = (matrix.indptr.tolist(), matrix.indices.tolist(), matrix.data.tolist())
        degree = sub.degrees().tolist()
        n = sub.size

        def climb(begin: Sequence[int], fixed: bool, run: int) -> list[int]:
            rng = np.random.default_rng([seed, run])
            return _climb(*arrays, degree, begin, fixed, rng)

        def best(results: list[list[int]]) -> list[int]:
            return results[int(np.argmax([turbo_mq(sub, labels) for labels in results]))]

        def random_start(clusters: int, run: int) -> np.ndarray:
            return _random_partition(n, clusters, np.random.default_rng([seed, run, 1]))

        if start is not None:
            return climb(start, k is not None, 0)
        root = math.ceil(math.sqrt(n))
        free = best([climb(random_start(root, run), False, run) for run in range(restarts)])
        if k is not None:
            fixed = [climb(random_start(k, restarts + run), True, run) for run in range(restarts)]
            return best([*fixed, climb(fit_count(sub, free, k), True, restarts)])
        if count_by == "turbomq":
            return free
        candidates = count_candidates(n, BUNCH_COUNT_CANDIDATES)
        ladder = _merge_ladder(sub, free, candidates)
        for c in candidates:
            if c not in ladder:
                ladder[c] = np.asarray(fit_count(sub, free, c))
        return choose_count(sub, candidates, lambda c: climb(ladder[c], True, c))[1]

    return _run(similarity, count, seed, core)


ALGORITHMS: Mapping[str, Algorithm] = {
    "agglomerative": agglomerative,
    "bunch": bunch,
    "louvain": louvain,
    "spectral": spectral,
}
"""Every algorithm by name: `(similarity, count, seed, **params) -> labels`."""


def algorithm_named(name: str) -> Algorithm:
    """The algorithm registered as `name`; ValueError names the known ones."""
    try:
        return ALGORITHMS[name]
    except KeyError:
        known = ", ".join(sorted(ALGORITHMS))
        raise ValueError(f"unknown clustering algorithm {name!r} (known: {known})") from None


def run_algorithm(
    similarity: Similarity, algorithm: str, count: int | None = None, seed: int = 0, **params: Any
) -> Labels:
    """Run the algorithm registered as `algorithm`."""
    return algorithm_named(algorithm)(similarity, count, seed, **params)


# -- constraints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Constraints:
    """What the architect imposes on the clustering.

    Entries name a module or a package prefix (`shop.orders` stands for `shop.orders` and every
    `shop.orders.*`).
    `pins`: entry → service name; modules pinned to one service share a cluster, modules pinned
    to different services never do. `together`: groups whose modules all share one cluster.
    `apart`: groups whose entries all land in different clusters. `max_size`: most modules in a
    cluster.
    """

    pins: Mapping[str, str] = field(default_factory=dict)
    together: tuple[tuple[str, ...], ...] = ()
    apart: tuple[tuple[str, ...], ...] = ()
    max_size: int | None = None


NO_CONSTRAINTS = Constraints()


class ConstraintError(ValueError):
    """Constraints that cannot be met; `problems` lists every one."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def _matching(modules: Sequence[str], entry: str) -> np.ndarray:
    """Indices of the sorted `modules` equal to `entry` or inside package `entry`."""
    if not entry:
        return np.zeros(0, dtype=np.int64)
    start = bisect_left(modules, entry)
    exact = [start] if start < len(modules) and modules[start] == entry else []
    low = bisect_left(modules, entry + ".")
    high = bisect_left(modules, entry + "/")  # "/" follows "." in code-point order
    return np.asarray(exact + list(range(low, high)), dtype=np.int64)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class _Resolved:
    """Constraints on module indices: super-node of each module, its pinned service, and for
    each apart group the entry (or −1) of each module."""

    node: np.ndarray
    nodes: int
    pin: Mapping[int, str]
    apart: tuple[np.ndarray, ...]
    """Per apart group, the entry number of each super-node (−1: none)."""
    sources: Mapping[int, tuple[str, ...]]
    problems: tuple[str, ...]


def _describe(sources: Sequence[str]) -> str:
    return sources[0] if len(sources) == 1 else ", ".join(sources[:-1]) + " and " + sources[-1]


def _resolve(constraints: Constraints, modules: Sequence[str]) -> _Resolved:
    """Match every entry, contract together groups and same-service pins into super-nodes,
    and collect every problem (nothing stops at the first)."""
    modules = sorted(modules)
    n = len(modules)
    problems: list[str] = []
    max_size = constraints.max_size
    if max_size is not None and (isinstance(max_size, bool) or max_size < 1):
        problems.append(f"max_size must be at least 1, got {max_size!r}")
        max_size = None
    service_of: dict[int, tuple[str, str]] = {}
    overlaps: dict[tuple[str, str], list[int]] = {}
    for key in sorted(constraints.pins, key=lambda k: (k.count("."), len(k), k)):
        service = constraints.pins[key]
        if not service:
            problems.append(f"pin {key!r} names an empty service")
        matched = _matching(modules, key)
        if matched.size == 0:
            problems.append(f"pin {key!r} → {service!r} matches no module")
        for i in matched.tolist():
            if i in service_of and service_of[i][1] != service:
                overlaps.setdefault((service_of[i][0], key), []).append(i)
            service_of[i] = (key, service)  # the most specific pin wins when grouping
    for (first, second), hits in sorted(overlaps.items()):
        problems.append(
            f"pins {first!r} → {constraints.pins[first]!r} and {second!r} → "
            f"{constraints.pins[second]!r} both match {len(hits)} module(s), e.g. "
            f"{modules[hits[0]]!r}: a module can be pinned to one service only"
        )
    union = _UnionFind(n)
    together_roots: list[tuple[int, str]] = []
    for group in constraints.together:
        label = f"together group {tuple(group)!r}"
        if not group:
            problems.append(f"{label} is empty")
            continue
        members: list[int] = []
        for entry in group:
            matched = _matching(modules, entry)
            if matched.size == 0:
                problems.append(f"{label}: {entry!r} matches no module")
            members.extend(matched.tolist())
        for i in members[1:]:
            union.union(members[0], i)
        if members:
            together_roots.append((members[0], label))
    by_service: dict[str, list[int]] = {}
    for i, (_, service) in sorted(service_of.items()):
        by_service.setdefault(service, []).append(i)
    for members in by_service.values():
        for i in members[1:]:
            union.union(members[0], i)
    roots = np.asarray([union.find(i) for i in range(n)], dtype=np.int64)
    _, node = np.unique(roots, return_inverse=True)  # numbered by smallest member
    node = node.ravel()
    nodes = int(node.max()) + 1 if n else 0
    sources: dict[int, list[str]] = {}
    for first, label in together_roots:
        sources.setdefault(int(node[first]), []).append(label)
    services_of_node: dict[int, list[str]] = {}
    for service in sorted(by_service):
        where = int(node[by_service[service][0]])
        services_of_node.setdefault(where, []).append(service)
        sources.setdefault(where, []).append(f"pin service {service!r}")
    for where, services in sorted(services_of_node.items()):
        if len(services) > 1:
            problems.append(
                f"{_describe(sources[where])}: joins modules pinned to different services "
                f"({', '.join(repr(s) for s in services)})"
            )
    apart: list[np.ndarray] = []
    for group in constraints.apart:
        label = f"apart group {tuple(group)!r}"
        entry_of = np.full(n, -1, dtype=np.int64)
        if len(set(group)) < 2:
            problems.append(f"{label} needs at least two different entries")
        for number, entry in enumerate(group):
            matched = _matching(modules, entry)
            if matched.size == 0:
                problems.append(f"{label}: {entry!r} matches no module")
            clash = matched[entry_of[matched] >= 0]
            if clash.size and group[int(entry_of[clash[0]])] != entry:
                problems.append(
                    f"{label}: {group[int(entry_of[clash[0]])]!r} and {entry!r} overlap "
                    f"(both match {modules[int(clash[0])]!r})"
                )
            entry_of[matched[entry_of[matched] < 0]] = number
        tagged = entry_of >= 0
        low = np.full(nodes, len(group), dtype=np.int64)
        high = np.full(nodes, -1, dtype=np.int64)
        np.minimum.at(low, node[tagged], entry_of[tagged])
        np.maximum.at(high, node[tagged], entry_of[tagged])
        for where in np.flatnonzero((high >= 0) & (low != high)).tolist():
            if where in sources:
                problems.append(
                    f"{_describe(sources[where])}: joins {group[low[where]]!r} and "
                    f"{group[high[where]]!r}, which {label} keeps apart"
                )
        apart.append(np.where(high >= 0, high, -1))
    if max_size is not None:
        sizes = np.bincount(node, minlength=nodes)
        for where in np.flatnonzero(sizes > max_size).tolist():
            problems.append(
                f"{_describe(sources[where])}: {sizes[where]} modules must share a cluster, "
                f"more than max_size {max_size}"
            )
    pin = {where: services[0] for where, services in services_of_node.items()}
    return _Resolved(
        node=node,
        nodes=nodes,
        pin=pin,
        apart=tuple(apart),
        sources={k: tuple(v) for k, v in sources.items()},
        problems=tuple(problems),
    )


def constraint_problems(constraints: Constraints, modules: Iterable[str]) -> list[str]:
    """Every reason the constraints cannot be met on these modules, all at once: entries that
    match no module, a module pinned to two services, together groups (or pins) that join
    different pins, an apart pair or more than max_size modules, apart groups with overlapping
    or too few entries, max_size < 1. Empty when the constraints are satisfiable."""
    return list(_resolve(constraints, sorted(set(modules))).problems)


def _unite(labels: np.ndarray, node: np.ndarray, nodes: int) -> np.ndarray:
    """Per super-node, the cluster most of its modules were given (ties: the smaller label):
    a together group or a same-service pin joins the cluster that already holds most of it,
    and the clustering of everything else is left as the algorithm found it."""
    united = np.empty(nodes, dtype=np.int64)
    for group in range(nodes):
        members = labels[node == group]
        values, counts = np.unique(members, return_counts=True)
        united[group] = values[np.argmax(counts)]
    return united


def _contract(similarity: Similarity, node: np.ndarray, nodes: int) -> Similarity:
    """One row per super-node: the summed similarity of its modules, internal ties dropped.
    Named by its smallest module, so the names stay sorted."""
    n = similarity.size
    member = sp.csr_matrix((np.ones(n), (np.arange(n), node)), shape=(n, nodes))
    matrix = sp.csr_matrix(member.T @ similarity.matrix @ member)
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    first = np.full(nodes, n, dtype=np.int64)
    np.minimum.at(first, node, np.arange(n))
    return Similarity(tuple(similarity.modules[i] for i in first), matrix)


def _ties(matrix: sp.csr_matrix, rows: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Summed similarity from the modules `rows` to each of k clusters."""
    block = matrix[rows].tocoo()
    return np.bincount(labels[block.col], weights=block.data, minlength=k)


def _separate_pins(
    similarity: Similarity, labels: np.ndarray, pin: Mapping[int, str]
) -> np.ndarray:
    """Split every cluster that holds nodes pinned to different services: each pinned node
    seeds a part, and the unpinned nodes join, strongest tie first, the part they are most
    tied to (no tie at all: the largest part, then the first service by name)."""
    labels = labels.copy()
    matrix = similarity.matrix
    next_label = int(labels.max()) + 1
    for c in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == c)
        pinned = sorted((pin[i], i) for i in members.tolist() if i in pin)
        if len({service for service, _ in pinned}) < 2:
            continue
        seeds = [i for _, i in pinned]
        rest = np.asarray([i for i in members.tolist() if i not in pin], dtype=np.int64)
        part_label = [c] + list(range(next_label, next_label + len(seeds) - 1))
        next_label += len(seeds) - 1
        for part, i in enumerate(seeds):
            labels[i] = part_label[part]
        if rest.size == 0:
            continue
        tie = matrix[rest][:, seeds].toarray()
        sizes = [1] * len(seeds)
        open_rows = np.ones(rest.size, dtype=bool)
        rest_block = matrix[rest][:, rest].toarray()
        for _ in range(rest.size):
            masked = np.where(open_rows[:, None], tie, -1.0)
            row, part = np.unravel_index(int(np.argmax(masked)), masked.shape)
            if masked[row, part] <= 0:
                break
            labels[rest[row]] = part_label[part]
            sizes[part] += 1
            open_rows[row] = False
            tie[:, part] += rest_block[:, row]
        if open_rows.any():
            largest = int(np.argmax(sizes))
            labels[rest[open_rows]] = part_label[largest]
    return labels


def _separate_apart(
    similarity: Similarity,
    labels: np.ndarray,
    resolved: _Resolved,
    weight: np.ndarray,
    max_size: int | None,
) -> np.ndarray:
    """Resolve each apart violation: in a cluster holding several entries of one apart group,
    the entry most tied to the rest of the cluster stays and every other entry's nodes move
    together to the cluster they are most tied to among those that would break no apart group,
    pin or max_size, or to a new cluster. A move never creates a violation, so this ends."""
    labels = labels.copy()
    matrix = similarity.matrix
    entries = resolved.apart
    pins = np.asarray([resolved.pin.get(i, "") for i in range(similarity.size)], dtype=object)
    while True:
        violation = _first_violation(labels, entries)
        if violation is None:
            return labels
        cluster, group = violation
        members = np.flatnonzero(labels == cluster)
        present = sorted(set(entries[group][members].tolist()) - {-1})
        strength = []
        for entry in present:
            own = members[entries[group][members] == entry]
            others = np.setdiff1d(members, own)
            strength.append(float(matrix[own][:, others].sum()))
        keep = present[int(np.argmax(strength))]
        k = int(labels.max()) + 1
        for entry in present:
            if entry == keep:
                continue
            unit = members[entries[group][members] == entry]
            ties = _ties(matrix, unit, labels, k)
            allowed = _allowed_targets(unit, labels, k, entries, pins, weight, max_size)
            allowed[cluster] = False
            ties = np.where(allowed, ties, 0.0)
            target = int(np.argmax(ties)) if ties.max() > 0 else k
            if target == k:
                k += 1
            labels[unit] = target


def _first_violation(labels: np.ndarray, entries: Sequence[np.ndarray]) -> tuple[int, int] | None:
    """(cluster, apart group) of the first cluster holding two entries of one group."""
    for cluster in sorted(set(labels.tolist())):
        members = labels == cluster
        for group, entry in enumerate(entries):
            present = entry[members]
            present = present[present >= 0]
            if present.size and present.min() != present.max():
                return cluster, group
    return None


def _allowed_targets(
    unit: np.ndarray,
    labels: np.ndarray,
    k: int,
    entries: Sequence[np.ndarray],
    pins: np.ndarray,
    weight: np.ndarray,
    max_size: int | None,
) -> np.ndarray:
    """Clusters the nodes `unit` may join without breaking an apart group, a pin or max_size."""
    allowed = np.ones(k, dtype=bool)
    for entry in entries:
        mine = set(entry[unit].tolist()) - {-1}
        if not mine:
            continue
        clash = (entry >= 0) & ~np.isin(entry, list(mine))
        allowed[np.unique(labels[clash])] = False
    services = set(pins[unit].tolist()) - {""}
    for node in np.flatnonzero(pins != "").tolist():
        if pins[node] not in services and services:
            allowed[labels[node]] = False
    if max_size is not None:
        load = np.bincount(labels, weights=weight, minlength=k)
        allowed &= load + weight[unit].sum() <= max_size
    return allowed


def _limit_size(
    similarity: Similarity,
    labels: np.ndarray,
    weight: np.ndarray,
    max_size: int,
    algorithm: str,
    seed: int,
    params: Mapping[str, Any],
) -> np.ndarray:
    """Split every cluster of more than max_size modules by running the algorithm on its own
    similarity with count ⌈size / max_size⌉, until none is too big (a single node that is too
    big cannot be split; constraint_problems reports it)."""
    labels = labels.copy()
    params = {key: value for key, value in params.items() if key != "initial"}  # whole-graph only
    while True:
        load = np.bincount(labels, weights=weight)
        sizes = np.bincount(labels)
        oversize = np.flatnonzero((load > max_size) & (sizes > 1))
        if oversize.size == 0:
            return labels
        next_label = int(labels.max()) + 1
        for c in oversize.tolist():
            members = np.flatnonzero(labels == c)
            parts = min(members.size, max(2, math.ceil(load[c] / max_size)))
            found = run_algorithm(similarity.subset(members), algorithm, parts, seed, **params)
            found = np.asarray(found, dtype=np.int64)
            labels[members] = np.where(found == 0, c, next_label + found - 1)
            next_label += int(found.max())


@dataclass(frozen=True)
class ClusterResult:
    """Labels aligned with the similarity's modules (canonically numbered), the pinned service
    name of each label that has one, and the number of clusters."""

    labels: Labels
    names: Mapping[int, str]
    count: int


def cluster(
    similarity: Similarity,
    algorithm: str,
    count: int | None = None,
    seed: int = 0,
    constraints: Constraints = NO_CONSTRAINTS,
    **params: Any,
) -> ClusterResult:
    """Cluster with `algorithm` under `constraints`.

    The algorithm clusters every module (`count` applies to that run); then each together
    group and each set of modules pinned to one service joins the cluster holding most of it
    (clustering a contracted super-node instead lets its summed ties swallow neighbouring
    domains). The result is then repaired, on the groups as super-nodes, in an order where no
    step undoes an earlier one: clusters holding different pins are split, apart violations
    are moved out, and clusters over max_size are re-clustered into ⌈size / max_size⌉ parts.
    The repairs may change the number of clusters.
    Raises ConstraintError listing every problem when the constraints cannot be met.
    """
    algorithm_named(algorithm)
    _check_run(count, seed)
    resolved = _resolve(constraints, similarity.modules)
    if resolved.problems:
        raise ConstraintError(resolved.problems)
    n = similarity.size
    if n == 0:
        return ClusterResult(labels=(), names={}, count=0)
    contracted = (
        similarity if resolved.nodes == n else _contract(similarity, resolved.node, resolved.nodes)
    )
    weight = np.bincount(resolved.node, minlength=resolved.nodes).astype(np.float64)
    k = None if count is None else min(count, similarity.size)
    found = np.asarray(run_algorithm(similarity, algorithm, k, seed, **params), dtype=np.int64)
    labels = found if resolved.nodes == n else _unite(found, resolved.node, resolved.nodes)
    if resolved.pin:
        labels = _separate_pins(contracted, labels, resolved.pin)
    if resolved.apart:
        labels = _separate_apart(contracted, labels, resolved, weight, constraints.max_size)
    if constraints.max_size is not None:
        labels = _limit_size(
            contracted, labels, weight, constraints.max_size, algorithm, seed, params
        )
    final = canonical_labels(labels[resolved.node])
    names = {
        final[int(np.flatnonzero(resolved.node == node)[0])]: service
        for node, service in resolved.pin.items()
    }
    return ClusterResult(labels=final, names=dict(sorted(names.items())), count=len(set(final)))


def stability(
    similarity: Similarity,
    algorithm: str,
    count: int | None = None,
    seed: int = 0,
    constraints: Constraints = NO_CONSTRAINTS,
    runs: int = 5,
    **params: Any,
) -> float:
    """Mean pairwise adjusted Rand index of `runs` clusterings seeded seed, seed+1, ...

    1.0 when every seed gives the same partition; clipped below at 0 (chance agreement) so the
    range is [0, 1]. Source: L. Hubert and P. Arabie, "Comparing partitions", Journal of
    Classification 2 (1985), via sklearn's adjusted_rand_score.
    """
    if runs < 2 or similarity.size < 2:
        return 1.0
    results = [
        cluster(similarity, algorithm, count, s, constraints, **params).labels
        for s in range(seed, seed + runs)
    ]
    # sklearn takes 0.5 s to import: loaded where used, so `monocut analyze` starts fast
    from sklearn.metrics import adjusted_rand_score

    scores = [adjusted_rand_score(a, b) for a, b in combinations(results, 2)]
    return float(min(1.0, max(0.0, math.fsum(scores) / len(scores))))
