"""All coupling signals, each normalized per module pair, and their weighted combination.

Signals (every value in [0, 1], per unordered module pair):

- `import`, `call`, `inheritance`, `wiring`: the structural evidence of the dependency graph,
  both directions summed, each normalized as w(u,v) / sqrt(W(u) W(v)) with W the module's total
  of that signal (the symmetric normalization of spectral graph theory: a hub's many ties each
  count for less).
- `data`: cosine similarity of the modules' model-touch vectors (analyzer.signals.data),
  weighted by inverse document frequency (a model every module touches says little).
- `semantic`: cosine similarity of TF-IDF vectors of the modules' words.
- `cochange`: Jaccard similarity of the sets of commits changing each module.
- `layout`: modules of the same package (absent with `--ignore-layout`).

Propagation. Half the modules of a web monolith never touch a model nor name a domain word
directly; their domain shows through what they use. So before comparing, each module's data
and semantic vectors are mixed with their structural neighbours' (two hops, weights
`propagation` and its square, over the normalized structure graph): X' = X + a P X + a^2 P^2 X.
This lifted recovery of real Django apps markedly in prototypes (../shared/RESEARCH.md).
Only each module's `neighbours` most similar modules are kept for the two vector signals,
which keeps the similarity graph sparse on big trees.

The combined similarity is the weighted sum of the signals; the weights are `CouplingWeights`
(configurable in `[tool.monocut.weights]`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analyzer.facts import ModuleFacts
from analyzer.signals.data import DataUsage
from analyzer.signals.semantic import semantic_features
from analyzer.signals.static import layout_ties, package_of

Pair = tuple[str, str]

STRUCTURAL = ("import", "call", "inheritance", "wiring")
SIGNALS = (*STRUCTURAL, "data", "semantic", "cochange", "layout")


@dataclass(frozen=True)
class CouplingWeights:
    """How much each normalized signal counts in the combined similarity, and the
    propagation settings. Defaults are documented in docs/signals.md."""

    imports: float = 1.0
    calls: float = 0.5
    inheritance: float = 0.5
    wiring: float = 1.0
    data: float = 1.5
    semantic: float = 0.5
    cochange: float = 0.5
    layout: float = 0.5
    propagation: float = 0.8
    neighbours: int = 5

    def of(self, signal: str) -> float:
        return {
            "import": self.imports,
            "call": self.calls,
            "inheritance": self.inheritance,
            "wiring": self.wiring,
            "data": self.data,
            "semantic": self.semantic,
            "cochange": self.cochange,
            "layout": self.layout,
        }[signal]

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class Coupling:
    """The normalized signals per pair, and the combined similarity graph built from them.

    `graph` is undirected; each edge has `weight` (the combined similarity) and `signals`
    (signal -> weighted contribution), so an assignment can be explained by its edges.
    """

    modules: tuple[str, ...]
    signals: Mapping[str, Mapping[Pair, float]]
    graph: nx.Graph
    weights: CouplingWeights = field(default_factory=CouplingWeights)


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def structural_signals(dependencies: nx.DiGraph) -> dict[str, dict[Pair, float]]:
    """Each structural signal of the dependency graph, undirected and normalized."""
    raw: dict[str, dict[Pair, float]] = {name: defaultdict(float) for name in STRUCTURAL}
    for source, target, data in dependencies.edges(data=True):
        if source == target:
            continue
        for name, value in data.get("signals", {}).items():
            if name in raw and value > 0:
                raw[name][_pair(source, target)] += value
    return {name: normalize_symmetric(values) for name, values in raw.items()}


def normalize_symmetric(values: Mapping[Pair, float]) -> dict[Pair, float]:
    """w(u,v) / sqrt(W(u) W(v)), W the total weight at a module: in [0, 1]."""
    strength: dict[str, float] = defaultdict(float)
    for (a, b), value in values.items():
        strength[a] += value
        strength[b] += value
    return {
        pair: round(value / math.sqrt(strength[pair[0]] * strength[pair[1]]), 6)
        for pair, value in sorted(values.items())
        if value > 0
    }


def propagation_matrix(modules: Sequence[str], structure: Mapping[Pair, float]) -> sp.csr_matrix:
    """Row-stochastic matrix of the normalized structure graph (zero rows stay zero)."""
    position = {m: i for i, m in enumerate(modules)}
    rows, cols, vals = [], [], []
    for (a, b), value in structure.items():
        i, j = position[a], position[b]
        rows += [i, j]
        cols += [j, i]
        vals += [value, value]
    n = len(modules)
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float64)
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    totals[totals == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / totals) @ matrix)


def propagate(features: sp.csr_matrix, channel: sp.csr_matrix, alpha: float) -> sp.csr_matrix:
    """X + a P X + a^2 P^2 X, rows L2-normalized."""
    if features.shape[1] == 0:
        return features
    first = channel @ features
    mixed = features + alpha * first + (alpha * alpha) * (channel @ first)
    return _l2_rows(strongest_entries(sp.csr_matrix(mixed), MAX_FEATURES))


#: Features kept per module after propagation: mixing in neighbours' vectors makes rows
#: dense, and comparing dense rows of a large vocabulary is quadratic in both.
MAX_FEATURES = 200


def strongest_entries(matrix: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Each row's `keep` largest entries (ties: lower column first), the rest dropped."""
    matrix = sp.csr_matrix(matrix)
    matrix.sort_indices()
    counts = np.diff(matrix.indptr)
    if counts.size == 0 or counts.max() <= keep:
        return matrix
    rows, cols, vals = [], [], []
    for i in range(matrix.shape[0]):
        start, stop = matrix.indptr[i], matrix.indptr[i + 1]
        data = matrix.data[start:stop]
        index = matrix.indices[start:stop]
        if stop - start > keep:
            chosen = np.sort(np.argsort(-data, kind="stable")[:keep])
            data, index = data[chosen], index[chosen]
        rows.append(np.full(len(data), i))
        cols.append(index)
        vals.append(data)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape
    )


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def nearest_similarities(
    modules: Sequence[str],
    features: sp.csr_matrix,
    neighbours: int,
    minimum: float = 0.05,
    block: int = 512,
    one_sided: float = 0.5,
) -> dict[Pair, float]:
    """Cosine similarity of L2-normalized rows, keeping each module's `neighbours` most
    similar others. A pair in both modules' lists keeps its similarity; a pair in only one
    list counts `one_sided` of it (mutual nearest neighbours are the surer evidence)."""
    n = len(modules)
    found: dict[Pair, float] = {}
    if features.shape[1] == 0 or n < 2 or neighbours <= 0:
        return found
    transposed = features.T.tocsc()
    keep = min(neighbours, n - 1)
    votes: dict[Pair, int] = {}
    for start in range(0, n, block):
        stop = min(n, start + block)
        scores = (features[start:stop] @ transposed).toarray()
        for offset in range(stop - start):
            row = scores[offset]
            row[start + offset] = -1.0
            top = np.argpartition(-row, keep)[:keep] if keep < n - 1 else np.arange(n)
            for j in sorted(top.tolist()):
                value = float(row[j])
                if value < minimum:
                    continue
                pair = _pair(modules[start + offset], modules[j])
                found[pair] = round(min(value, 1.0), 6)
                votes[pair] = votes.get(pair, 0) + 1
    return {
        pair: value if votes[pair] == 2 else round(value * one_sided, 6)
        for pair, value in sorted(found.items())
    }


def data_features(modules: Sequence[str], usage: DataUsage) -> sp.csr_matrix:
    """Module x concrete-model matrix of touch weights, times inverse document frequency
    (smoothed, as scikit-learn's TfidfTransformer), rows L2-normalized."""
    columns: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, module in enumerate(modules):
        for entity, weight in usage.entity_weights(module).items():
            j = columns.setdefault(entity, len(columns))
            rows.append(i)
            cols.append(j)
            vals.append(weight)
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(modules), len(columns)))
    if not columns:
        return matrix
    document_frequency = np.asarray((matrix > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(modules)) / (1 + document_frequency)) + 1.0
    return _l2_rows(sp.csr_matrix(matrix @ sp.diags(idf)))


def path_terms(module: str) -> list[str]:
    """The words of a module's dotted name (only used when the layout is not ignored)."""
    return [part.lower() for part in module.split(".") if len(part) >= 3]


def combine_signals(
    facts: Iterable[ModuleFacts],
    dependencies: nx.DiGraph,
    usage: DataUsage,
    cochange: Mapping[Pair, float] | None = None,
    weights: CouplingWeights = CouplingWeights(),
    use_layout: bool = True,
) -> Coupling:
    """Every signal, normalized, and the combined similarity graph."""
    facts = sorted(facts, key=lambda f: f.module)
    modules = tuple(f.module for f in facts)
    known = set(modules)
    signals: dict[str, dict[Pair, float]] = structural_signals(dependencies)
    structure: dict[Pair, float] = defaultdict(float)
    for name in STRUCTURAL:
        for pair, value in signals[name].items():
            structure[pair] += weights.of(name) * value
    channel = propagation_matrix(modules, structure)
    data = propagate(data_features(modules, usage), channel, weights.propagation)
    signals["data"] = nearest_similarities(modules, data, weights.neighbours)
    extra = {m: path_terms(m) for m in modules} if use_layout else None
    semantic = semantic_features(modules, {f.module: f.terms for f in facts}, extra)
    semantic = propagate(semantic, channel, weights.propagation)
    signals["semantic"] = nearest_similarities(modules, semantic, weights.neighbours)
    signals["cochange"] = {
        pair: value
        for pair, value in sorted((cochange or {}).items())
        if pair[0] in known and pair[1] in known and pair[0] != pair[1]
    }
    if use_layout:
        ties = layout_ties(facts, 1.0)
        top = max(ties.values(), default=1.0)
        signals["layout"] = {pair: round(value / top, 6) for pair, value in ties.items()}
    else:
        signals["layout"] = {}
    return Coupling(modules, signals, similarity_graph(modules, signals, weights), weights)


def balance(values: Mapping[Pair, float]) -> float:
    """The factor that gives a signal a mean strength of 1 over the modules it ties: so that
    a sparse signal with small normalized values (imports) and a dense one with large values
    (cosine similarities) weigh what their weights say, not what their scales happen to be."""
    total = math.fsum(values.values())
    touched = len({m for pair in values for m in pair})
    return touched / (2.0 * total) if total > 0 else 0.0


def similarity_graph(
    modules: Sequence[str], signals: Mapping[str, Mapping[Pair, float]], weights: CouplingWeights
) -> nx.Graph:
    """Undirected graph of the weighted sum of the signals, contributions kept per edge."""
    parts: dict[Pair, dict[str, float]] = defaultdict(dict)
    for name in SIGNALS:
        weight = weights.of(name)
        values = signals.get(name, {})
        if weight <= 0 or not values:
            continue
        weight *= balance(values)
        for pair, value in values.items():
            contribution = round(weight * value, 6)
            if contribution > 0:
                parts[pair][name] = contribution
    graph = nx.Graph()
    graph.add_nodes_from(modules)
    for (a, b), contributions in sorted(parts.items()):
        graph.add_edge(
            a, b, weight=round(sum(contributions.values()), 6), signals=dict(contributions)
        )
    return graph


def package_groups(facts: Iterable[ModuleFacts]) -> dict[str, list[str]]:
    """Package -> its modules (for the layout report: folders split across services)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for module_facts in facts:
        groups[package_of(module_facts.module, module_facts.is_package)].append(module_facts.module)
    return {k: sorted(v) for k, v in sorted(groups.items())}
