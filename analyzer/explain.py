"""Why the plan looks the way it does: explanations computed from the signals and a partition.

- per service, what holds it together: each signal's share of the similarity inside it, the
  models it owns, and the words that set it apart;
- per pair of services, what the dependency between them consists of (imports, calls,
  inheritance, framework wiring), with the heaviest module pairs as examples;
- against the folder layout: modules whose service differs from where most of their package
  went (move candidates) and packages split across services.

Every function is pure: plain data in, frozen dataclasses out, sorted.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from analyzer.facts import ModuleFacts
from analyzer.signals.data import ModelOwnership
from analyzer.signals.static import package_of

EXAMPLES = 5
TERMS = 8


@dataclass(frozen=True)
class SignalShare:
    """One signal's total weight inside a service and its share of the service's total."""

    signal: str
    weight: float
    share: float


@dataclass(frozen=True)
class ServiceCohesion:
    """What holds a service together."""

    service: str
    signals: tuple[SignalShare, ...]
    models: tuple[str, ...]  # models the service owns (see ModelOwnership.owner)
    terms: tuple[str, ...]  # words used markedly more inside the service than elsewhere


@dataclass(frozen=True)
class ServiceDependency:
    """What one service's dependency on another consists of.

    `kinds`: signal -> summed weight over the module pairs (import, call, inheritance,
    wiring); `pairs`: module pairs crossing; `examples`: the heaviest, as
    `source -> target (import 1.00, call 0.30)`.
    """

    source: str
    target: str
    weight: float
    kinds: Mapping[str, float]
    pairs: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class MoveCandidate:
    """A module placed apart from most of its package, with its strongest tie where it is."""

    module: str
    service: str
    package: str
    package_service: str
    reason: str


@dataclass(frozen=True)
class SplitPackage:
    """A package whose modules went to more than one service: service -> modules."""

    package: str
    services: Mapping[str, int]


def service_cohesion(
    similarity: nx.Graph,
    partition: Mapping[str, str],
    ownership: Iterable[ModelOwnership],
    facts: Iterable[ModuleFacts],
) -> tuple[ServiceCohesion, ...]:
    """Per service: signal shares of its internal similarity, owned models, distinctive words."""
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for a, b, data in similarity.edges(data=True):
        service = partition.get(a)
        if service is None or service != partition.get(b):
            continue
        for signal, value in data.get("signals", {}).items():
            totals[service][signal] += value
    owned: dict[str, list[str]] = defaultdict(list)
    for model in ownership:
        if model.owner is not None:
            owned[model.owner].append(model.model.rpartition(".")[2])
    words = distinctive_terms(facts, partition)
    result = []
    for service in sorted(set(partition.values())):
        signals = totals.get(service, Counter())
        whole = math.fsum(signals.values()) or 1.0
        shares = tuple(
            SignalShare(name, round(value, 4), round(value / whole, 4))
            for name, value in sorted(signals.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        result.append(
            ServiceCohesion(
                service, shares, tuple(sorted(set(owned.get(service, ())))), words.get(service, ())
            )
        )
    return tuple(result)


def distinctive_terms(
    facts: Iterable[ModuleFacts], partition: Mapping[str, str], limit: int = TERMS
) -> dict[str, tuple[str, ...]]:
    """Per service, the terms most over-represented in it (smoothed log ratio of the term's
    share inside the service to its share in the whole code, weighted by its count)."""
    inside: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    for module_facts in facts:
        service = partition.get(module_facts.module)
        if service is None:
            continue
        for term, count in module_facts.terms:
            inside[service][term] += count
            overall[term] += count
    total = sum(overall.values()) or 1
    found: dict[str, tuple[str, ...]] = {}
    for service, counts in sorted(inside.items()):
        size = sum(counts.values()) or 1
        scored = sorted(
            (
                -count * math.log(((count + 1) / size) / ((overall[term] + 1) / total)),
                term,
            )
            for term, count in counts.items()
            if count >= 2 and count / overall[term] >= 0.5
        )
        found[service] = tuple(term for _, term in scored[:limit])
    return found


def service_dependencies(
    dependencies: nx.DiGraph, partition: Mapping[str, str], examples: int = EXAMPLES
) -> tuple[ServiceDependency, ...]:
    """Every service-to-service dependency with what it consists of, heaviest first."""
    kinds: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    pairs: dict[tuple[str, str], list[tuple[float, str, str, Mapping[str, float]]]] = defaultdict(
        list
    )
    for u, v, data in dependencies.edges(data=True):
        source, target = partition.get(u), partition.get(v)
        if source is None or target is None or source == target:
            continue
        signals = data.get("signals", {})
        for name, value in signals.items():
            kinds[(source, target)][name] += value
        pairs[(source, target)].append((data.get("weight", 0.0), u, v, signals))
    result = []
    for key, found in pairs.items():
        found.sort(key=lambda p: (-p[0], p[1], p[2]))
        shown = tuple(
            f"{u} -> {v} ("
            + ", ".join(f"{name} {value:.2f}" for name, value in sorted(signals.items()))
            + ")"
            for _, u, v, signals in found[:examples]
        )
        weight = round(math.fsum(p[0] for p in found), 4)
        result.append(
            ServiceDependency(
                key[0],
                key[1],
                weight,
                {k: round(v, 4) for k, v in sorted(kinds[key].items())},
                len(found),
                shown,
            )
        )
    result.sort(key=lambda d: (-d.weight, d.source, d.target))
    return tuple(result)


def layout_disagreements(
    facts: Iterable[ModuleFacts], partition: Mapping[str, str], similarity: nx.Graph
) -> tuple[tuple[MoveCandidate, ...], tuple[SplitPackage, ...]]:
    """Modules placed away from most of their package, and packages split across services.

    A package's service is the one holding most of its modules (ties: alphabetical); only
    packages of at least three placed modules are judged, so that a pair cannot out-vote
    itself.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for module_facts in facts:
        if module_facts.module in partition:
            groups[package_of(module_facts.module, module_facts.is_package)].append(
                module_facts.module
            )
    moves: list[MoveCandidate] = []
    splits: list[SplitPackage] = []
    for package, members in sorted(groups.items()):
        services = Counter(partition[m] for m in members)
        if len(services) > 1:
            splits.append(SplitPackage(package, dict(sorted(services.items()))))
        if len(members) < 3 or len(services) == 1:
            continue
        home = min(services, key=lambda s: (-services[s], s))
        if services[home] * 2 <= len(members):
            continue
        for module in sorted(members):
            if partition[module] == home:
                continue
            moves.append(
                MoveCandidate(
                    module,
                    partition[module],
                    package,
                    home,
                    _strongest_tie(similarity, module, partition),
                )
            )
    return tuple(moves), tuple(splits)


def _strongest_tie(similarity: nx.Graph, module: str, partition: Mapping[str, str]) -> str:
    if module not in similarity:
        return "no tie to any module"
    own = partition[module]
    ties = sorted(
        (
            (-data["weight"], peer, data.get("signals", {}))
            for peer, data in similarity[module].items()
            if partition.get(peer) == own
        ),
        key=lambda t: (t[0], t[1]),
    )
    if not ties:
        return "no tie inside its service"
    _, peer, signals = ties[0]
    parts = ", ".join(f"{name} {value:.2f}" for name, value in sorted(signals.items()))
    return f"{peer}: {parts}"
