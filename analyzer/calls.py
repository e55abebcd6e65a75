"""Project-wide call resolution: call sites -> qualified internal functions and classes.

This is the first, name-based level of the call graph: a call's dotted callee text is resolved
through the scopes that bind its first name (function-local imports, enclosing definitions,
module-level imports and definitions, builtins; a first name that is a local variable of the
calling function or an enclosing one, such as a parameter, stays unresolved), through
re-exports, and through `self`, `cls` and `super()` inside methods along the class bases
across modules. Calls on values whose type would need data-flow analysis (`self.repo.save()`,
`make()()`) stay unresolved and are counted.
"""

from __future__ import annotations

import builtins
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from analyzer.facts import DefinitionKind, ModuleFacts
from analyzer.imports import ImportGraph, ResolvedImport, resolve_symbol

BUILTIN_NAMES = frozenset(dir(builtins))
MAX_MRO_DEPTH = 20


@dataclass(frozen=True)
class ResolvedCall:
    """A call from `caller` (a module, or `module.qualname`) to an internal `callee`."""

    caller_module: str
    caller: str
    callee_module: str
    callee: str
    line: int


@dataclass(frozen=True)
class CallGraph:
    """Resolved internal calls plus how many call sites went elsewhere or stayed unknown."""

    calls: tuple[ResolvedCall, ...]
    external: int
    unresolved: int
    unnamed: int

    @property
    def total(self) -> int:
        return len(self.calls) + self.external + self.unresolved + self.unnamed

    def function_graph(self) -> nx.DiGraph:
        """caller -> callee, edge attribute `count` = number of call sites."""
        graph = nx.DiGraph()
        for call, count in sorted(Counter((c.caller, c.callee) for c in self.calls).items()):
            graph.add_edge(*call, count=count)
        return graph

    def module_call_counts(self) -> dict[tuple[str, str], int]:
        """(caller module, callee module) -> call sites, for modules that differ."""
        counts = Counter(
            (c.caller_module, c.callee_module)
            for c in self.calls
            if c.caller_module != c.callee_module
        )
        return dict(sorted(counts.items()))


class _ModuleScope:
    """The names visible in one module, and its classes with their resolved bases."""

    def __init__(self, facts: ModuleFacts, imports: Iterable[ResolvedImport]) -> None:
        self.module = facts.module
        self.globals: dict[str, str] = {}
        self.local_imports: dict[str, dict[str, str]] = defaultdict(dict)
        for item in imports:
            if item.fact.name == "*":
                continue
            target = item.bound_target
            if item.fact.scope:
                # "" marks a name bound by an import whose target is unknown: it still shadows.
                self.local_imports[item.fact.scope][item.fact.bound_name] = target or ""
            elif target:
                self.globals[item.fact.bound_name] = target
        self.definitions = {d.qualname: d for d in facts.definitions}
        for definition in facts.definitions:
            if "." not in definition.qualname:
                self.globals[definition.qualname] = f"{facts.module}.{definition.qualname}"
        for name in facts.module_names:
            self.globals.setdefault(name, f"{facts.module}.{name}")
        self.classes = {q for q, d in self.definitions.items() if d.kind is DefinitionKind.CLASS}
        # Function scope -> its local variables (class bodies do not enclose their methods).
        self.local_names: dict[str, frozenset[str]] = {
            d.qualname: frozenset(d.local_names)
            for d in facts.definitions
            if d.local_names and d.kind is not DefinitionKind.CLASS
        }

    def enclosing_class(self, caller: str) -> str | None:
        parts = caller.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.classes:
                return candidate
        return None

    def lookup(self, caller: str, name: str) -> str | None:
        """The dotted name `name` refers to inside `caller`, or None if unknown."""
        return self.binding(caller, name) or None

    def binding(self, caller: str, name: str) -> str | None:
        """Like `lookup`, innermost scope first, but "" when a local variable binds `name`.

        A name bound in the calling function or an enclosing one (a parameter, an assignment,
        a loop variable...) holds a value only data flow could know, so it shadows module-level
        imports and definitions. Function-local imports and nested defs/classes do resolve.
        """
        parts = caller.split(".") if caller else []
        for end in range(len(parts), 0, -1):
            scope = ".".join(parts[:end])
            if name in self.local_imports.get(scope, {}):
                return self.local_imports[scope][name]
            nested = f"{scope}.{name}"
            definition = self.definitions.get(nested)
            if definition is not None and definition.kind is not DefinitionKind.METHOD:
                return f"{self.module}.{nested}"
            local_names = self.local_names.get(scope)
            if local_names is not None and name in local_names:
                return ""
        return self.globals.get(name)


class CallResolver:
    """Resolves the call sites of a whole project against its definitions."""

    def __init__(self, imports: ImportGraph) -> None:
        self.index = imports.index
        by_module: dict[str, list[ResolvedImport]] = defaultdict(list)
        for item in imports.resolved:
            by_module[item.importer].append(item)
        self.scopes = {
            m: _ModuleScope(f, by_module.get(m, ())) for m, f in self.index.facts.items()
        }

    def resolve_project(self) -> CallGraph:
        calls: list[ResolvedCall] = []
        external = unresolved = unnamed = 0
        for module in sorted(self.index.facts):
            facts = self.index.facts[module]
            unnamed += facts.unnamed_calls
            for site in facts.calls:
                outcome = self.resolve(module, site.caller, site.callee)
                if outcome is None:
                    unresolved += 1
                elif outcome == "":
                    external += 1
                else:
                    callee_module, callee = outcome
                    caller = f"{module}.{site.caller}" if site.caller else module
                    calls.append(ResolvedCall(module, caller, callee_module, callee, site.line))
        return CallGraph(tuple(calls), external, unresolved, unnamed)

    def resolve(self, module: str, caller: str, callee: str) -> tuple[str, str] | str | None:
        """(callee module, qualified callee) if internal, "" if external, None if unknown."""
        scope = self.scopes[module]
        head, _, rest = callee.partition(".")
        if head in ("self", "cls") or head == "super()":
            owner = scope.enclosing_class(caller)
            if owner is None or not rest or "." in rest:
                return None
            start = f"{module}.{owner}"
            found = (
                self._lookup_in_bases(start, rest)
                if head == "super()"
                else self._lookup_method(start, rest)
            )
            return found
        target = scope.binding(caller, head)
        if not target:
            return "" if target is None and head in BUILTIN_NAMES else None
        dotted = f"{target}.{rest}" if rest else target
        return self._internal_target(dotted)

    def _internal_target(self, dotted: str, depth: int = 0) -> tuple[str, str] | str | None:
        if depth > MAX_MRO_DEPTH:
            return None
        module = self.index.longest_internal_prefix(dotted)
        if module is None:
            top = dotted.split(".")[0]
            return None if top in self.index.top_level else ""
        remainder = dotted[len(module) + 1 :]
        if not remainder:
            return None
        head, _, tail = remainder.partition(".")
        symbol = resolve_symbol(self.index, module, head)
        owner = self.index.longest_internal_prefix(symbol)
        if owner is None:
            return None
        if owner != module or symbol != f"{module}.{head}":
            return self._internal_target(f"{symbol}.{tail}" if tail else symbol, depth + 1)
        definitions = self.scopes[module].definitions
        parts = remainder.split(".")
        for end in range(len(parts), 0, -1):
            qualname = ".".join(parts[:end])
            if qualname in definitions:
                if end < len(parts) and definitions[qualname].kind is DefinitionKind.CLASS:
                    inherited = self._lookup_method(f"{module}.{qualname}", parts[end])
                    if isinstance(inherited, tuple):
                        return inherited
                return module, f"{module}.{qualname}"
        if head in self.index.facts[module].module_names:
            return module, f"{module}.{head}"
        return None

    def inheritance_counts(self) -> dict[tuple[str, str], int]:
        """(subclass module, base-class module) -> class relations crossing the two modules."""
        counts: Counter[tuple[str, str]] = Counter()
        for module, scope in sorted(self.scopes.items()):
            for qualname in sorted(scope.classes):
                for base in self.class_bases(f"{module}.{qualname}"):
                    base_module = self.index.longest_internal_prefix(base)
                    if base_module and base_module != module:
                        counts[(module, base_module)] += 1
        return dict(sorted(counts.items()))

    def class_bases(self, qualified_class: str) -> list[str]:
        """The internal classes `qualified_class` names as bases, resolved across modules."""
        module = self.index.longest_internal_prefix(qualified_class)
        if module is None:
            return []
        qualname = qualified_class[len(module) + 1 :]
        scope = self.scopes[module]
        definition = scope.definitions.get(qualname)
        if definition is None or definition.kind is not DefinitionKind.CLASS:
            return []
        bases: list[str] = []
        for base in definition.bases:
            head, _, rest = base.partition(".")
            target = scope.lookup(qualname.rpartition(".")[0], head)
            if target is None:
                continue
            resolved = self._internal_target(f"{target}.{rest}" if rest else target)
            if isinstance(resolved, tuple):
                bases.append(resolved[1])
        return bases

    def _lookup_method(self, qualified_class: str, name: str) -> tuple[str, str] | None:
        order = [qualified_class]
        seen: set[str] = set()
        while order and len(seen) < MAX_MRO_DEPTH:
            current = order.pop(0)
            if current in seen:
                continue
            seen.add(current)
            module = self.index.longest_internal_prefix(current)
            if module is None:
                continue
            qualname = f"{current[len(module) + 1 :]}.{name}"
            if qualname in self.scopes[module].definitions:
                return module, f"{module}.{qualname}"
            order.extend(self.class_bases(current))
        return None

    def _lookup_in_bases(self, qualified_class: str, name: str) -> tuple[str, str] | None:
        for base in self.class_bases(qualified_class):
            found = self._lookup_method(base, name)
            if found is not None:
                return found
        return None


def resolve_calls(imports: ImportGraph) -> CallGraph:
    """Resolve every call site of the project (see the module docstring for the rules)."""
    return CallResolver(imports).resolve_project()
