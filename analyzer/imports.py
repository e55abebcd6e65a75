"""Project-wide import resolution: ModuleFacts[] -> the internal module import graph.

Every ImportFact is resolved to one of: an internal module (absolute, relative at any depth,
`from pkg import submodule`, aliases, names re-exported through `__init__` followed to the module
that defines them), the standard library, a third-party top-level package, or unresolved
(a relative import that climbs above the top-level package).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import networkx as nx

from analyzer.facts import ImportFact, ImportKind, ModuleFacts
from analyzer.import_roots import rebase_imports

MAX_REEXPORT_DEPTH = 12


class ImportCategory(StrEnum):
    INTERNAL = "internal"
    STDLIB = "stdlib"
    THIRD_PARTY = "third_party"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class ResolvedImport:
    """One ImportFact with what it resolved to.

    `target_module` is the internal module depended upon (None unless INTERNAL);
    `symbol` is the dotted name the local binding refers to (`shop.orders.service.place_order`
    or a module name), after following re-exports; `via_module` is the package the statement
    names when the symbol was followed out of it; `external` is the top-level package name of
    a stdlib or third-party import.
    """

    importer: str
    fact: ImportFact
    category: ImportCategory
    target_module: str | None = None
    symbol: str | None = None
    external: str | None = None
    via_module: str | None = None

    @property
    def bound_target(self) -> str | None:
        """The dotted name the import's local name refers to, None if nothing is known.

        `import os.path` binds `os`; `import os.path as p` binds `os.path`.
        """
        if self.symbol:
            return self.symbol
        if self.external is None:
            return None
        if self.fact.name is not None:
            return f"{self.fact.module}.{self.fact.name}"
        return self.fact.module if self.fact.alias else self.external

    @property
    def depended_modules(self) -> tuple[str, ...]:
        """Internal modules this import makes the importer depend on.

        `from pkg import name`, where `pkg/__init__.py` re-exports `name` from `pkg.mod`, runs
        `pkg/__init__.py` and uses `pkg.mod`: both are dependencies.
        """
        found = (self.via_module, self.target_module)
        return tuple(m for m in found if m is not None and m != self.importer)


@dataclass(frozen=True)
class ImportGraph:
    """The resolved imports of a project and the module-level DiGraph built from them.

    Graph edges u -> v mean "u imports v"; attributes: `statements` (distinct import
    statements), `kinds` (ImportKind value -> statements of that kind).
    """

    graph: nx.DiGraph
    resolved: tuple[ResolvedImport, ...]
    index: ModuleIndex = field(compare=False, repr=False)

    def external_imports(self, category: ImportCategory) -> dict[str, frozenset[str]]:
        """Module -> top-level names it imports from `category` (stdlib or third-party)."""
        found: dict[str, set[str]] = defaultdict(set)
        for item in self.resolved:
            if item.category is category and item.external:
                found[item.importer].add(item.external)
        return {module: frozenset(names) for module, names in sorted(found.items())}

    def unresolved(self) -> tuple[ResolvedImport, ...]:
        return tuple(r for r in self.resolved if r.category is ImportCategory.UNRESOLVED)


class ModuleIndex:
    """What a project defines, for resolving names: modules, packages and module-level names."""

    def __init__(self, facts: Iterable[ModuleFacts]) -> None:
        self.facts: dict[str, ModuleFacts] = {f.module: f for f in facts}
        self.packages = {m for m, f in self.facts.items() if f.is_package}
        self.top_level = {m.split(".")[0] for m in self.facts}
        self._bindings: dict[str, dict[str, ImportFact]] = {}
        self._defined: dict[str, set[str]] = {}

    def __contains__(self, module: str) -> bool:
        return module in self.facts

    def longest_internal_prefix(self, dotted: str) -> str | None:
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.facts:
                return candidate
        return None

    def defined_names(self, module: str) -> set[str]:
        """Top-level functions, classes and assigned names of a module."""
        if module not in self._defined:
            facts = self.facts[module]
            names = {d.qualname for d in facts.definitions if "." not in d.qualname}
            names.update(facts.module_names)
            self._defined[module] = names
        return self._defined[module]

    def module_bindings(self, module: str) -> dict[str, ImportFact]:
        """Local name -> the module-level import that binds it (the last one wins)."""
        if module not in self._bindings:
            bindings: dict[str, ImportFact] = {}
            for fact in self.facts[module].imports:
                if fact.scope == "" and fact.name != "*":
                    bindings[fact.bound_name] = fact
            self._bindings[module] = bindings
        return self._bindings[module]


def absolute_base(importer: str, is_package: bool, fact: ImportFact) -> str | None:
    """The absolute dotted module an ImportFact names (`from ..x import y` -> `pkg.x`).

    None when a relative import climbs above the top-level package.
    """
    if fact.level == 0:
        return f"{fact.root}.{fact.module}" if fact.root else fact.module
    parts = importer.split(".")
    package = parts if is_package else parts[:-1]
    climb = fact.level - 1
    if climb >= len(package):
        return None
    base = package[: len(package) - climb]
    return ".".join([*base, fact.module]) if fact.module else ".".join(base)


def resolve_symbol(index: ModuleIndex, module: str, name: str) -> str:
    """Follow `module.name` through re-exports to the module that really defines it.

    `from shop.orders import place_order`, where `shop/orders/__init__.py` does
    `from .service import place_order`, resolves to `shop.orders.service.place_order`.
    """
    seen: set[tuple[str, str]] = set()
    for _ in range(MAX_REEXPORT_DEPTH):
        if (module, name) in seen or module not in index:
            break
        seen.add((module, name))
        submodule = f"{module}.{name}"
        if submodule in index:
            return submodule
        if name in index.defined_names(module):
            return submodule
        binding = index.module_bindings(module).get(name)
        if binding is None:
            star_target = _star_source(index, module, name)
            if star_target is None:
                break
            module = star_target
            continue
        base = absolute_base(module, module in index.packages, binding)
        if base is None:
            break
        if binding.name is None:
            # `import a.b as name`: the binding is a module.
            return base if binding.alias else binding.bound_module
        module, name = base, binding.name
    return f"{module}.{name}"


def _star_source(index: ModuleIndex, module: str, name: str) -> str | None:
    """The module a `from x import *` in `module` takes `name` from, if any does."""
    for fact in index.facts[module].imports:
        if fact.name != "*" or fact.scope:
            continue
        base = absolute_base(module, module in index.packages, fact)
        if base is None or base not in index:
            continue
        exported = index.facts[base].all_names
        if (exported is not None and name in exported) or (
            exported is None and name in index.defined_names(base)
        ):
            return base
    return None


def resolve_import(index: ModuleIndex, facts: ModuleFacts, fact: ImportFact) -> ResolvedImport:
    """Resolve one import of `facts.module`."""
    base = absolute_base(facts.module, facts.is_package, fact)
    if base is None:
        return ResolvedImport(facts.module, fact, ImportCategory.UNRESOLVED)
    top = base.split(".")[0]
    if fact.level == 0 and top not in index.top_level:
        category = (
            ImportCategory.STDLIB if top in sys.stdlib_module_names else ImportCategory.THIRD_PARTY
        )
        return ResolvedImport(facts.module, fact, category, external=top)
    if fact.name is None:
        target = index.longest_internal_prefix(base)
        symbol = base if fact.alias else fact.bound_module
        return _internal(facts.module, fact, target, symbol)
    if fact.name == "*":
        return _internal(facts.module, fact, index.longest_internal_prefix(base), base)
    symbol = resolve_symbol(index, base, fact.name)
    resolved = _internal(facts.module, fact, index.longest_internal_prefix(symbol), symbol)
    named = index.longest_internal_prefix(base)
    submodule = f"{base}.{fact.name}" in index
    if named is not None and named != resolved.target_module and not submodule:
        return replace(resolved, via_module=named)
    return resolved


def _internal(importer: str, fact: ImportFact, target: str | None, symbol: str) -> ResolvedImport:
    if target is None:
        return ResolvedImport(importer, fact, ImportCategory.UNRESOLVED, symbol=symbol)
    return ResolvedImport(importer, fact, ImportCategory.INTERNAL, target, symbol)


def resolve_imports(facts: Iterable[ModuleFacts]) -> ImportGraph:
    """Resolve every import of the project and build the internal module import graph."""
    ordered = rebase_imports(sorted(facts, key=lambda f: f.module))
    index = ModuleIndex(ordered)
    resolved = tuple(
        resolve_import(index, module_facts, fact)
        for module_facts in ordered
        for fact in module_facts.imports
    )
    return ImportGraph(import_graph(ordered, resolved), resolved, index)


def import_graph(facts: Iterable[ModuleFacts], resolved: Iterable[ResolvedImport]) -> nx.DiGraph:
    """The internal module DiGraph; one node per module, self-imports dropped."""
    graph = nx.DiGraph()
    for module_facts in facts:
        graph.add_node(module_facts.module)
    statements: dict[tuple[str, str], dict[int, ImportKind]] = defaultdict(dict)
    for item in resolved:
        for target in item.depended_modules:
            statements[(item.importer, target)].setdefault(item.fact.line, item.fact.kind)
    for (importer, target), lines in sorted(statements.items()):
        kinds = Counter(kind.value for kind in lines.values())
        graph.add_edge(importer, target, statements=len(lines), kinds=dict(sorted(kinds.items())))
    return graph
