"""The data signal: which modules define, read and write which models and tables.

A shared database is what stops most real extractions, and in a web monolith a domain is
largely its models, so this is the strongest single domain signal (see ../shared/RESEARCH.md).
A module *touches* a model when it

- defines it (`define`); an abstract model counts for the concrete models built on it;
- writes it (`write`): instantiates it, calls a writing method on it or its manager
  (`Product.objects.create`, `order.save()` through the call graph), or names its table
  in an INSERT/UPDATE/DELETE string;
- reads it (`read`): imports it, names it in a relation or a loader string
  (`ForeignKey("catalogue.Product")`, `get_model("catalogue", "Product")`), calls its other
  methods, or names its table in a SELECT string.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analyzer.calls import CallGraph
from analyzer.imports import ImportCategory, ImportGraph
from analyzer.signals.code_index import CodeIndex
from analyzer.signals.models import ModelCatalog
from analyzer.signals.wiring import WiringLink

WRITE_METHODS = frozenset(
    {
        "create",
        "save",
        "delete",
        "update",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "add",
        "remove",
        "clear",
        "set",
        "merge",
        "insert",
        "upsert",
    }
)
MODES = ("define", "write", "read")
MODE_WEIGHTS = {"define": 3.0, "write": 2.0, "read": 1.0}


@dataclass(frozen=True)
class DataUsage:
    """module -> model (full name) -> mode -> how many times; `entities` maps each model to
    the concrete models it stands for (an abstract model to its concrete subclasses)."""

    catalog: ModelCatalog
    touches: Mapping[str, Mapping[str, Mapping[str, int]]] = field(default_factory=dict)
    entities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def users(self, model: str) -> dict[str, dict[str, int]]:
        """module -> mode -> count, for one model."""
        return {
            module: dict(found[model])
            for module, found in sorted(self.touches.items())
            if model in found
        }

    def entity_weights(self, module: str) -> dict[str, float]:
        """Concrete model -> how strongly the module is tied to it (define 3, write 2,
        read 1, each growing as 1 + ln(count)), the data signal's feature vector."""
        weights: dict[str, float] = defaultdict(float)
        for model, modes in self.touches.get(module, {}).items():
            value = max(
                MODE_WEIGHTS[mode] * (1.0 + math.log(count)) for mode, count in modes.items()
            )
            targets = self.entities.get(model, (model,))
            for entity in targets:
                weights[entity] = max(weights[entity], value / math.sqrt(len(targets)))
        return dict(sorted(weights.items()))


def data_usage(
    code: CodeIndex,
    catalog: ModelCatalog,
    imports: ImportGraph,
    calls: CallGraph,
    wiring: Iterable[WiringLink],
    sql: Mapping[str, Iterable[tuple[str, str]]],
) -> DataUsage:
    """Every module's model touches, from definitions, imports, wiring, calls and SQL."""
    models = catalog.models
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    if not models:
        return DataUsage(catalog)
    for model in models.values():
        counts[model.module][model.name]["define"] += 1
    bound: dict[str, dict[str, str]] = defaultdict(dict)  # module -> local name -> model
    for item in imports.resolved:
        if item.category is ImportCategory.INTERNAL and item.symbol in models:
            counts[item.importer][item.symbol]["read"] += 1
            bound[item.importer][item.fact.bound_name] = item.symbol
    for link in wiring:
        if link.target in models:
            counts[link.source][link.target]["read"] += 1
            if link.binds:
                bound[link.source][link.binds] = link.target
    counted: set[tuple[str, int, str]] = set()  # (module, line, model) seen in the call graph
    for call in calls.calls:
        callee = call.callee
        if callee in models:
            counts[call.caller_module][callee]["write" if call.instantiates else "read"] += 1
            counted.add((call.caller_module, call.line, callee))
            continue
        owner, _, method = callee.rpartition(".")
        if owner in models and call.caller_module != models[owner].module:
            mode = "write" if method in WRITE_METHODS else "read"
            counts[call.caller_module][owner][mode] += 1
            counted.add((call.caller_module, call.line, owner))
    for module in code.modules:
        local = {f"{module}.{name}": model for name, model in bound.get(module, {}).items()}
        for view in code.calls(module):
            model, rest = _receiver_model(view.path, models, local)
            if model is None or (module, view.line, model) in counted:
                continue
            # a bare call instantiates the model: a write
            mode = "write" if not rest or rest[-1] in WRITE_METHODS else "read"
            counts[module][model][mode] += 1
    for module, tables in sql.items():
        for table, mode in tables:
            for model in catalog.by_table(table):
                counts[module][model.name][mode] += 1
    touches = {
        module: {
            model: {mode: found[model][mode] for mode in MODES if found[model][mode]}
            for model in sorted(found)
        }
        for module, found in sorted(counts.items())
    }
    return DataUsage(catalog, touches, _entities(code, catalog))


def _receiver_model(
    path: str | None, models: Mapping[str, object], local: Mapping[str, str]
) -> tuple[str | None, list[str]]:
    """The model a call's callee path starts from, and the attributes after it:
    `...models.Product.objects.create` -> (Product, ["objects", "create"])."""
    if path is None:
        return None, []
    rest: list[str] = []
    head = path
    while head:
        model = local.get(head) or (head if head in models else None)
        if model is not None:
            return model, list(reversed(rest))
        head, _, last = head.rpartition(".")
        rest.append(last)
    return None, []


def _entities(code: CodeIndex, catalog: ModelCatalog) -> dict[str, tuple[str, ...]]:
    descendants = catalog.concrete_descendants(code)
    return {name: descendants[name] for name in catalog.models if name in descendants}


@dataclass(frozen=True)
class ModelOwnership:
    """One model in a plan: who defines it, which services read and write it, and the
    proposed owner (the service that defines it, else the one that writes it most)."""

    model: str
    table: str
    defined_in: str | None
    owner: str | None
    writers: tuple[str, ...]
    readers: tuple[str, ...]

    @property
    def shared(self) -> bool:
        """Used from more than one service: a shared table that stands in an extraction's way."""
        return len({*self.writers, *self.readers, *([self.owner] if self.owner else [])}) > 1


def model_ownership(usage: DataUsage, partition: Mapping[str, str]) -> tuple[ModelOwnership, ...]:
    """Every concrete model with the services that touch it and a proposed owner."""
    found: list[ModelOwnership] = []
    for name, model in sorted(usage.catalog.models.items()):
        if model.abstract:
            continue
        scores: dict[str, float] = defaultdict(float)
        writers: set[str] = set()
        readers: set[str] = set()
        defined_in = partition.get(model.module)
        for module, modes in usage.users(name).items():
            service = partition.get(module)
            if service is None:
                continue
            for mode, count in modes.items():
                scores[service] += MODE_WEIGHTS[mode] * count
            if "write" in modes:
                writers.add(service)
            elif "read" in modes:
                readers.add(service)
        owner = defined_in or (min(scores, key=lambda s: (-scores[s], s)) if scores else None)
        found.append(
            ModelOwnership(
                name,
                model.table,
                defined_in,
                owner,
                tuple(sorted(writers - {owner})),
                tuple(sorted(readers - writers - {owner})),
            )
        )
    return tuple(found)
