"""Project-wide points-to analysis over FlowFacts: the precise function-level call graph.

A flow-insensitive, context-insensitive analysis in the spirit of PyCG (Salis et al., ICSE
2021), extended with instances, bound methods, containers and a worklist:

- every variable (a name in a scope), instance attribute (per class), class attribute,
  container element (per allocation site and literal key), function return and generator
  yield holds a set of abstract values;
- abstract values are short strings tagged by their first character (see `_Kind` below);
- each scope's statements are re-evaluated whenever a location it read has grown, until
  nothing grows (a fixpoint); values only ever grow, and every value is drawn from a finite
  set (definitions, allocation sites, bounded external paths), so it terminates.

Calls are resolved through those values: functions and lambdas, bound methods (the receiver
flows into `self`, so a base-class method calling `self.step()` reaches a subclass's `step`),
classes (`__init__`/`__new__` along the C3 MRO), callable instances (`__call__`), decorators
(the decorated name holds what the decorator returned), properties, operator / iteration /
`with` dunders, builtins (`<builtin>.len`) and builtin-type methods (`<**PyList**>.append`),
and names from outside the analyzed tree by their import path (`requests.get`).
"""

from __future__ import annotations

import builtins
import gc
import itertools
import sys
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analyzer.flow import AUGMENTED_FALLBACK, Expr, FlowCall, FlowScope, display_name
from analyzer.imports import ImportGraph

BUILTIN_NAMES = frozenset(dir(builtins))
#: Builtin types whose methods are named `<**PyStr**>.join` and so on.
TYPE_LABELS = {
    "strs": "<**PyList**>",  # a list of str (what str.split returns)
    "str": "<**PyStr**>",
    "dict": "<**PyDict**>",
    "list": "<**PyList**>",
    "set": "<**PySet**>",
    "tuple": "<**PyTuple**>",
    "bytes": "<**PyBytes**>",
    "int": "<**PyInt**>",
    "float": "<**PyFloat**>",
}
#: The builtin types behind the labels: a method name they lack is no call at all.
_BUILTIN_TYPES: dict[str, type] = {
    "strs": list,
    "str": str,
    "dict": dict,
    "list": list,
    "set": set,
    "tuple": tuple,
    "bytes": bytes,
    "int": int,
    "float": float,
    "gen": type(x for x in ()),
}
#: What builtin-type methods return, when it is not the type itself or unknown.
_METHOD_RESULTS = {
    ("str", "encode"): "Tbytes",
    ("bytes", "decode"): "Tstr",
    ("str", "split"): "Tstrs",
    ("str", "rsplit"): "Tstrs",
    ("str", "splitlines"): "Tstrs",
    ("str", "partition"): "Tstrs",
    ("str", "rpartition"): "Tstrs",
    ("bytes", "split"): "Tlist",
}
_BUILTIN_VALUE_TYPES = {
    "str": "str",
    "repr": "str",
    "format": "str",
    "chr": "str",
    "ascii": "str",
    "hex": "str",
    "oct": "str",
    "bin": "str",
    "input": "str",
    "int": "int",
    "len": "int",
    "ord": "int",
    "hash": "int",
    "id": "int",
    "round": "int",
    "float": "float",
    "bytes": "bytes",
    "bool": "bool",
    "isinstance": "bool",
    "issubclass": "bool",
    "callable": "bool",
    "hasattr": "bool",
    "all": "bool",
    "any": "bool",
}
#: Builtins that call the function they are given (argument position of the function).
_CALLBACK_BUILTINS = frozenset({"map", "filter"})  # they call their first argument
_KEY_BUILTINS = frozenset({"sorted", "min", "max"})
#: Builtins whose result holds the elements of their (first) iterable argument.
_COPYING_BUILTINS = {
    "list": "list",
    "tuple": "tuple",
    "set": "set",
    "frozenset": "set",
}
#: Builtin dunder dispatch: `len(a)` calls `type(a).__len__`.
_BUILTIN_DUNDERS = {
    "len": "__len__",
    "str": "__str__",
    "repr": "__repr__",
    "bool": "__bool__",
    "hash": "__hash__",
    "iter": "__iter__",
    "next": "__next__",
    "abs": "__abs__",
    "format": "__format__",
    "reversed": "__reversed__",
    "bytes": "__bytes__",
    "int": "__int__",
    "float": "__float__",
}
#: Decorators that make descriptors rather than calls.
_DESCRIPTOR_DECORATORS = {
    "Bstaticmethod": "s",
    "Bclassmethod": "k",
    "Bproperty": "p",
    "xfunctools.cached_property": "p",
}
_IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})
_SOLVE_RECURSION_LIMIT = 20_000
MAX_EXTERNAL_DEPTH = 3  # dots in an outside name grown by attributes (`a.b.c.d`)
_MODULE_DUNDERS = frozenset({"__name__", "__file__", "__doc__", "__qualname__"})
_NAME_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__module__"})
#: str methods that are pure predicates, evaluated on constant strings in conditions.
_PURE_STR_PREDICATES = frozenset(
    {
        "startswith",
        "endswith",
        "isdigit",
        "isalpha",
        "isalnum",
        "isidentifier",
        "islower",
        "isupper",
        "isspace",
        "isnumeric",
        "isdecimal",
    }
)
#: Literal values (short str and int constants) one location keeps before it keeps only
#: their types: enough for dispatch keys, bounded for big trees.
MAX_LITERALS = 16
#: Outside names one location keeps before they become one opaque outside object.
MAX_EXTERNALS = 64
OPAQUE = "o"  # some object from outside the analyzed code
UNKNOWN = "?"  # a location that could hold too many things to say which
OBJECT_SLOT = "z"  # a method `object` itself provides (`super().__init__()` at the top)
#: Values one location keeps before it becomes UNKNOWN: calls through it then count as
#: unresolved rather than fanning out to every guess. Context-insensitive analysis merges
#: everything that passes through a hub (a decorator class, a generic helper); this bound
#: keeps such hubs from spreading their merged guesses, and bounds time and memory. (A call
#: that may reach more than 64 functions says little to someone cutting services anyway.
#: Measured on Django: 64 rather than 128 leaves 0.4% more call sites unresolved and more
#: than halves the solving time.)
MAX_VALUES = 64
#: Locations holding at most this many values share their (frozen) set with every other
#: location holding the same values.
MAX_SHARED = 4


@dataclass(frozen=True, slots=True)
class Edge:
    """One resolved call: `callee` is an internal qualified name when `callee_module` is set,
    else a builtin (`<builtin>.len`), a builtin-type method or an external import path."""

    caller: str
    caller_module: str
    callee: str
    callee_module: str | None
    line: int
    instantiates: bool = False  # the callee is a class being instantiated


@dataclass(frozen=True)
class SiteCounts:
    """Call sites (call expressions) by how they resolved."""

    internal: int  # at least one target in the analyzed code
    external: int  # only builtins and outside code
    unresolved: int  # no target known

    @property
    def total(self) -> int:
        return self.internal + self.external + self.unresolved


@dataclass(frozen=True)
class PointsToResult:
    edges: tuple[Edge, ...]
    sites: SiteCounts
    modules: tuple[str, ...]
    inheritance: tuple[tuple[tuple[str, str], int], ...]  # (subclass module, base module)
    #: Functions that outside code may call: never referenced inside the analyzed code (an
    #: API), handed to outside code (a callback, a framework's decorator), or methods of a
    #: class that outside code subclasses or receives. Modules and these are the roots from
    #: which the call graph's reached functions are found.
    entries: tuple[str, ...] = ()
    #: Every internal class with its ancestors in method resolution order (itself first):
    #: internal classes by full name, outside bases by import path (`django.db.models.Model`).
    classes: tuple[tuple[str, tuple[str, ...]], ...] = ()


class _Signature(tuple):
    """A function's parameters as `_call_function` binds them: (positional names, vararg
    name, names passable by keyword, kwarg name, names with a default)."""

    __slots__ = ()

    @staticmethod
    def of(scope: FlowScope) -> _Signature:
        params = scope.params
        positional = tuple(p.name for p in params if p.kind in ("posonly", "pos"))
        vararg = next((p.name for p in params if p.kind == "vararg"), None)
        names = frozenset(p.name for p in params if p.kind in ("pos", "kwonly"))
        kwarg = next((p.name for p in params if p.kind == "kwarg"), None)
        defaulted = tuple(p.name for p in params if p.default is not None)
        return _Signature((positional, vararg, names, kwarg, defaulted))


class _Function:
    """What `_call_function` needs of a function, made once: it is called millions of times
    on a big tree."""

    __slots__ = ("name", "module", "signature", "generator", "returned", "passthrough", "varargs")

    def __init__(
        self,
        name: str,
        module: str,
        signature: _Signature,
        generator: str | None,
        returned: tuple[str, str],
        passthrough: tuple[str, ...],
        varargs: tuple | None,
    ) -> None:
        self.name = name  # one string for every location and edge of the function
        self.module = module
        self.signature = signature
        self.generator = generator  # the generator value a call returns, if it is one
        self.returned = returned  # the location of its return values
        self.passthrough = passthrough  # see PointsToSolver.passthrough
        #: the locations `*args` fills: its container's kind, keys and items, the parameter,
        #: and the container value
        self.varargs = varargs

    @staticmethod
    def of(function: str, module: str, scope: FlowScope, passthrough: tuple[str, ...]) -> _Function:
        signature = _Signature.of(scope)
        varargs = None
        if signature[1] is not None:
            site = f"K{function}#varargs"
            varargs = (
                ("{kind}", site),
                ("{keys}", site),
                ("[", site, "*"),
                (function, signature[1]),
                frozenset({site}),
            )
        generator = "G" + function if scope.is_generator else None
        returned = (function, "<return>")
        return _Function(function, module, signature, generator, returned, passthrough, varargs)


class _Ctx:
    """Where an expression is evaluated: its module, scope, caller name and line."""

    __slots__ = ("module", "qual", "caller", "line", "unit", "site", "call", "names", "sites")

    def __init__(
        self, module: str, qual: str, caller: str, unit: int, sites: list[tuple[str, int]]
    ) -> None:
        self.module = module
        self.qual = qual
        self.caller = caller
        self.line = 0
        self.unit = unit
        self.site: tuple[str, int] | None = None  # the call site being evaluated
        self.call: int | None = None
        self.names: dict[str, object] = {}  # name -> the location it refers to here
        #: call number -> its call site (module, number), one tuple per site: the site is
        #: also the location of the call's results
        self.sites = sites


def _full(module: str, qual: str) -> str:
    return f"{module}.{qual}" if qual else module


class PointsToSolver:
    """Solves one project; `solve()` returns its call edges and call-site counts."""

    def __init__(self, imports: ImportGraph) -> None:
        self.index = imports.index
        self.import_graph = imports.graph
        self.modules = sorted(self.index.facts)
        self.scopes: dict[tuple[str, str], FlowScope] = {}
        self.calls: dict[str, tuple[FlowCall, ...]] = {}
        self.children: dict[tuple[str, str], list[FlowScope]] = defaultdict(list)
        self.definitions: dict[str, tuple[str, FlowScope]] = {}  # full name -> (module, scope)
        self.bound: dict[str, set[str]] = {}
        for module in self.modules:
            flow = self.index.facts[module].flow
            if flow is None:
                continue
            self.calls[module] = flow.calls
            for scope in flow.scopes:
                self.scopes[(module, scope.qualname)] = scope
                if scope.parent is not None:
                    self.children[(module, scope.parent)].append(scope)
                    self.definitions[_full(module, scope.qualname)] = (module, scope)
            self.bound[module] = set(flow.scopes[0].local_names) | set(
                self.index.facts[module].module_names
            )
        self.import_assigns: dict[tuple[str, str], list[tuple[str, str, int]]] = defaultdict(list)
        self._collect_imports(imports)
        #: Every module and every package prefix of one (namespace packages have no facts).
        self.namespaces = {
            ".".join(m.split(".")[:end]) for m in self.modules for end in range(1, m.count(".") + 2)
        }

        #: location -> its values. A location holding few values shares one frozenset with
        #: every other holding the same (`_shared`): most locations hold one value, and a set
        #: each took a fifth of the solver's memory on sympy. A shared set is replaced when
        #: the location grows, never changed in place (see `_apply`).
        self.values: dict[object, set[str] | frozenset[str]] = {}
        self._small_sets: dict[frozenset, frozenset] = {}
        #: location -> the constraint that read it, a tuple of up to `_TUPLE_READERS` of
        #: them, or a set once there are more (most locations have one to a few readers: a
        #: set each would double the solver's memory)
        self.readers: dict[object, int | tuple[int, ...] | set[int]] = {}
        self.queue: deque[int] = deque()
        #: constraint -> 1 while it waits in `queue` or `_pending` (sized once they are built)
        self.queued = bytearray()
        self._pending: list[int] = []
        self._overflowing: set[object] = set()
        self._writes: dict[object, set[str]] = {}
        self.skipped = 0  # statements too deeply nested to evaluate
        #: constraint -> its scope's context, its kind and its payload (three flat lists: a
        #: tuple each would take 64 bytes more per constraint)
        self.constraints: list[_Ctx] = []
        self._kinds: list[str] = []
        self._payloads: list[Any] = []
        self.setters: dict[str, set[str]] = defaultdict(set)
        #: (caller, callee, line) -> (caller module, callee module, instantiates) as first
        #: seen, and the call site that made it, or a set of them once there are several;
        #: Edge objects are made once, at the end (a big tree has 600,000 of them)
        self.edges: dict[tuple[str, str, int], tuple[str, str | None, bool, Any]] = {}
        #: (module, call number) -> what its callees were: "i" (some internal), "e" (only
        #: builtins or outside code), "ie" (both); absent while nothing is known
        self.site_targets: dict[tuple[str, int], str] = {}
        self._mro_cache: dict[str, tuple[str, ...]] = {}
        self._mro_deps: dict[str, set[object]] = {}
        self._mro_dependents: dict[object, set[str]] = defaultdict(set)
        #: (class, attribute) -> [the constraint(s) that asked, as `readers` keeps them;
        #: the cached answer of `_attribute_info`, or None once forgotten]
        self._attribute_entries: dict[tuple[str, str], list] = {}
        #: "c" + class -> class: one string per class in the keys `_attribute_info` keeps
        self._owner_names: dict[str, str] = {}
        #: location -> the (class, attribute) entry that read it, or a set of them
        self._attribute_dependents: dict[object, tuple[str, str] | set[tuple[str, str]]] = {}
        self._attributes_by_class: dict[str, set[str]] = defaultdict(set)
        self._subclass_users: set[int] = set()
        #: constraints that built the subclass index, which depends on every class's MRO:
        #: re-evaluated whenever a cached MRO is dropped
        self._subclass_builders: set[int] = set()
        self._subclass_cache: dict[str, set[str]] | None = None
        self._class_names: list[str] | None = None
        self.hints: dict[object, set[str]] = defaultdict(set)
        self.activated: set[object] = set()
        self.late_hints: set[object] = set()
        self.undecided: set[tuple[int, tuple[str, int]]] = set()
        self.unknown_decorators: set[tuple[str, int]] = set()
        self.passthrough: dict[str, tuple[str, ...]] = {}
        for full, (_module, scope) in self.definitions.items():
            if scope.kind in ("function", "lambda"):
                names = _passthrough_params(scope)
                if names:
                    self.passthrough[full] = names
        self._display: dict[str, str] = {}
        self._functions: dict[str, _Function] = {}
        #: (function, id(args), id(kwargs), receiver) -> (result, args, kwargs) for the
        #: evaluation under way, emptied as each begins (see _call_function); the argument
        #: objects are kept so their ids stay theirs
        self._calls_made: dict[tuple, tuple[set[str], list, dict]] = {}
        self._builtin_callees: dict[str, str] = {}  # builtin -> its callee name, made once
        #: function -> (location of its first parameter if it takes a receiver, its bound
        #: method value): made once, as binding happens millions of times on a big tree
        self._methods: dict[str, tuple[tuple[str, str] | None, str]] = {}
        self.lengths: dict[str, int] = {}  # list and tuple displays without starred items
        self.widened: set[object] = set()
        self.escaped: set[str] = set()
        self.unknown_sites: set[tuple[str, int | None]] = set()
        self.import_paths: set[str] = set()  # outside names as imported (any depth)
        self.escaped_classes: set[str] = set()
        self.undecided_keys: set[tuple[int, object]] = set()
        self.any_key: set[tuple[int, object]] = set()

    # -- imports become assignments of ("imp", dotted) values

    def _collect_imports(self, imports: ImportGraph) -> None:
        stars: list[tuple[str, str, str, int]] = []
        for item in imports.resolved:
            fact = item.fact
            module = item.importer
            if (module, fact.scope) not in self.scopes:
                continue
            if fact.name == "*":
                if item.target_module in self.index.facts:
                    stars.append((module, fact.scope, item.target_module, fact.line))
                continue
            if fact.name is None and fact.alias is None:
                top = fact.bound_module
                target = top if item.symbol or item.external else None
            else:
                target = item.bound_target
            if not target:
                continue
            self.import_assigns[(module, fact.scope)].append((fact.bound_name, target, fact.line))
            if not fact.scope:
                self.bound[module].add(fact.bound_name)
        self.star_targets: dict[str, list[str]] = defaultdict(list)
        for module, scope, target, _line in stars:
            if not scope:
                self.star_targets[module].append(target)
        for module, scope, target, line in stars:
            for name in sorted(self._exported(target, set())):
                self.import_assigns[(module, scope)].append((name, f"{target}.{name}", line))
        for module, scope, target, _line in stars:
            if not scope:
                self.bound[module] |= self._exported(target, set())

    def _exported(self, module: str, seen: set[str]) -> set[str]:
        """The names `from module import *` binds: `__all__`, else the public names."""
        if module in seen:
            return set()
        seen.add(module)
        facts = self.index.facts[module]
        if facts.all_names is not None:
            return set(facts.all_names)
        names = {n for n in self.bound.get(module, ()) if not n.startswith("_")}
        for target in self.star_targets.get(module, ()):
            names |= self._exported(target, seen)
        return names

    # -- the fixpoint

    def solve(self) -> PointsToResult:
        """Run to a fixpoint. The cyclic garbage collector is paused meanwhile: the solver
        holds millions of small sets and tuples and makes no reference cycles, and on a
        tree the size of Django the collector's full passes took most of the time.
        Expressions are evaluated recursively, as deep as the parse pass lets them nest."""
        enabled = gc.isenabled()
        gc.disable()
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _SOLVE_RECURSION_LIMIT))
        try:
            return self._solve()
        finally:
            sys.setrecursionlimit(limit)
            if enabled:
                gc.enable()

    def _solve(self) -> PointsToResult:
        order = self._module_order()
        units = sorted(self.scopes, key=lambda u: (order.get(u[0], 0), u[1] != "", u))
        self._build_constraints(units)
        self.queued = bytearray(len(self.constraints))
        for constraint in range(len(self.constraints)):
            self._enqueue(constraint)
        budget = 60 * max(len(self.constraints), 1) + 10_000
        while True:
            self._settle()
            while self.queue and budget > 0:
                budget -= 1
                constraint = self.queue.popleft()
                self.queued[constraint] = 0
                try:
                    self._evaluate(constraint)
                except RecursionError:
                    self._writes.clear()  # a pathological statement: it resolves nothing
                    self.skipped += 1
                self._settle()
            if budget <= 0 or not self._fall_back():
                break
        self._forget_unknown_sites()
        internal = external = unresolved = 0
        for module in self.modules:
            for index, _call in enumerate(self.calls.get(module, ())):
                targets = self.site_targets.get((module, index))
                if not targets or (module, index) in self.unknown_sites:
                    unresolved += 1
                elif "i" in targets:
                    internal += 1
                else:
                    external += 1
        entries = self._entries()
        inheritance = self._inheritance()
        classes = self._class_ancestry()
        self._release()
        shown = self._shown
        edges = tuple(
            Edge(shown(caller), module, shown(callee), callee_module, line, instantiates)
            for (caller, callee, line), (module, callee_module, instantiates, _) in sorted(
                self.edges.items()
            )
        )
        self.edges.clear()
        return PointsToResult(
            edges,
            SiteCounts(internal, external, unresolved),
            tuple(self.modules),
            inheritance,
            entries,
            classes,
        )

    def _release(self) -> None:
        """Drop the fixpoint's working state before the result is built, so that the two
        are never in memory together (the solver is used once)."""
        for table in (
            self.values,
            self._small_sets,
            self.readers,
            self.constraints,
            self._kinds,
            self._payloads,
            self.site_targets,
            self._attribute_entries,
            self._owner_names,
            self._attribute_dependents,
            self._attributes_by_class,
            self._mro_cache,
            self._mro_deps,
            self._mro_dependents,
            self.hints,
            self._writes,
            self._functions,
            self._methods,
        ):
            table.clear()

    def _class_ancestry(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        ancestry: dict[str, tuple[str, ...]] = {}
        for full, (_module, scope) in self.definitions.items():
            if scope.kind == "class":
                mro = self._linearize(full)
                ancestry[self._shown(full)] = tuple(
                    self._shown(owner[1:]) if owner[0] == "c" else owner[1:] for owner in mro
                )
        return tuple(sorted(ancestry.items()))

    def _entries(self) -> tuple[str, ...]:
        referenced: set[str] = set()
        for module in self.modules:
            flow = self.index.facts[module].flow
            if flow is not None:
                referenced |= flow.referenced
        open_classes = set(self.escaped_classes)
        for full, (_module, scope) in self.definitions.items():
            if scope.kind == "class":
                mro = self._linearize(full)
                if any(owner[0] == "x" for owner in mro):
                    open_classes.add(full)
        entries: set[str] = set()
        for full, (module, scope) in self.definitions.items():
            if scope.kind == "class":
                continue
            parent = _full(module, scope.parent) if scope.parent else module
            name = display_name(scope.qualname).rpartition(".")[2]
            unreferenced = scope.kind != "lambda" and name not in referenced
            if unreferenced or full in self.escaped or parent in open_classes:
                entries.add(self._shown(full))
        return tuple(sorted(entries))

    def _escape(self, args: list, kwargs: dict) -> None:
        """Functions and objects handed to outside code may be called from there."""
        for arg in [*args, *kwargs.values()]:
            values = arg[1] if isinstance(arg, tuple) else arg
            for value in values:
                tag = value[0]
                if tag in "fspk" or tag == "m":
                    self.escaped.add(value[1:])
                elif tag in "ci":
                    self.escaped_classes.add(value[1:])

    def _inheritance(self) -> tuple[tuple[tuple[str, str], int], ...]:
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for full, (module, scope) in self.definitions.items():
            if scope.kind != "class":
                continue
            bases = set().union(
                *(self.values.get(("^", full, i), ()) for i in range(len(scope.bases)))
            )
            for base in sorted(bases):
                found = self.definitions.get(base[1:]) if base[0] == "c" else None
                if found is not None and found[0] != module:
                    counts[(module, found[0])] += 1
        return tuple(sorted(counts.items()))

    def _forget_unknown_sites(self) -> None:
        """A call whose callee location overflowed into UNKNOWN resolves to nothing: the
        edges it made while the location was still small are dropped (unless something
        else made them too), so the result does not depend on the order of evaluation."""
        unknown = self.unknown_sites
        dropped = [
            key
            for key, (*_, sites) in self.edges.items()
            if ((sites <= unknown) if type(sites) is set else (sites in unknown))
        ]
        for key in dropped:
            del self.edges[key]

    def _module_order(self) -> dict[str, int]:
        """Modules after those they import (cycles broken), so that names a module imports
        mostly hold their values by the time it is evaluated: fewer re-evaluations."""
        graph = self.import_graph
        condensed = nx.condensation(graph)
        order: dict[str, int] = {}
        for position, component in enumerate(
            reversed(list(nx.lexicographical_topological_sort(condensed, key=str)))
        ):
            for module in condensed.nodes[component]["members"]:
                order[module] = position
        return order

    def _fall_back(self) -> bool:
        """At a fixpoint, let hints fill the locations nothing flowed into, and let
        decorators that stayed unknown keep their function. True if anything changed."""
        changed = False
        # Writes wait for the next settle, so which hints fire is known before any does:
        # only those are sorted (a big tree has tens of thousands of hints).
        values = self.values
        ready = [
            key
            for key, hinted in self.hints.items()
            if hinted and key not in self.activated and not values.get(key)
        ]
        for late in (False, True):
            for key in sorted((k for k in ready if (k in self.late_hints) == late), key=repr):
                self.activated.add(key)
                self._write(key, self.hints[key])
                changed = True
            if changed:
                return True
        for unit, decorated in sorted(self.undecided):
            if decorated not in self.unknown_decorators:
                self.unknown_decorators.add(decorated)
                self._enqueue(unit)
                changed = True
        self.undecided.clear()
        for unit, site in sorted(self.undecided_keys, key=repr):
            if (unit, site) not in self.any_key:
                self.any_key.add((unit, site))
                self._enqueue(unit)
                changed = True
        self.undecided_keys.clear()
        return changed

    def _widen(self, key: object, current: set[str]) -> None:
        """Too many constants (or outside names) in one place: keep what they are instead
        (a str, an int, some outside object), which stands for all of them."""
        literals = [v for v in current if v[0] == "v"]
        externals = [v for v in current if v[0] == "x"]
        if len(literals) > MAX_LITERALS or len(externals) > MAX_EXTERNALS:
            self.widened.add(key)
            current.difference_update(literals)
            current.difference_update(externals)
            current.update(_widened(v) for v in (*literals, *externals))

    def _hint(self, key: object, values: set[str], late: bool = False) -> None:
        """A fallback value (annotation, default, `self`): used only if nothing else flows.
        `late` hints (a method's own class for `self`) wait until the others have had
        their effect: an annotated `job: ExportJob` calling `job.run()` must give `run`
        its receiver before `run` falls back to its own class."""
        if key in self.activated:
            self._write(key, values)
        elif values:
            self.hints[key].update(values)
            if late:
                self.late_hints.add(key)

    def _enqueue(self, constraint: int) -> None:
        queued = self.queued
        if not queued[constraint]:
            queued[constraint] = 1
            self._pending.append(constraint)

    def _settle(self) -> None:
        """End of an evaluation: apply its writes, widen or cap the locations it overfilled,
        and queue what must be re-evaluated, in constraint order. An evaluation reads the
        state as it was when it began and its writes are unions, so its effect does not
        depend on the order sets are iterated in (which varies with string hashing): the
        result is the same on every run."""
        writes = self._writes
        while writes:
            self._writes = {}
            for key, values in writes.items():
                self._apply(key, values)
            writes = self._writes
        for key in self._overflowing:
            current = self.values[key]
            if UNKNOWN in current:
                continue
            if key not in self.widened:
                self._widen(key, current)
            if len(current) > MAX_VALUES:
                self.values[key] = self._shared((UNKNOWN,))
        self._overflowing.clear()
        if self._pending:
            self._pending.sort()
            self.queue.extend(self._pending)
            self._pending.clear()

    def _read(self, key: object, ctx: _Ctx) -> set[str]:
        readers = self.readers.get(key)
        if readers is None:
            self.readers[key] = ctx.unit
        elif type(readers) is set:
            readers.add(ctx.unit)
        elif readers != ctx.unit and (type(readers) is int or ctx.unit not in readers):
            self.readers[key] = _more_readers(readers, ctx.unit)
        return self.values.get(key, _EMPTY)

    def _enqueue_all(self, readers: int | tuple[int, ...] | set[int] | None) -> None:
        """Queue the reader(s) kept for a location (see `readers`)."""
        if readers is None:
            return
        if type(readers) is int:
            self._enqueue(readers)
        else:
            for constraint in readers:
                self._enqueue(constraint)

    def _write(self, key: object, values: Iterable[str]) -> None:
        """Buffer a write: it takes effect when the evaluation settles (see _settle)."""
        if not values:
            return
        current = self.values.get(key)
        if current is not None and (UNKNOWN in current or current.issuperset(values)):
            return  # nothing new (most writes, on re-evaluation)
        buffered = self._writes.get(key)
        if buffered is None:
            self._writes[key] = set(values)
        else:
            buffered.update(values)

    def _shared(self, values: Iterable[object]) -> frozenset:
        """The one frozenset holding just these values."""
        frozen = frozenset(values)
        return self._small_sets.setdefault(frozen, frozen)

    def _apply(self, key: object, values: set[str]) -> None:
        """Apply one buffered write; `values` is the buffer's own set, kept if it fits."""
        current = self.values.get(key)
        if current is not None and UNKNOWN in current:
            return
        if key in self.widened:
            values = {_widened(v) for v in values}
        if current is None:
            before = 0
            current = self.values[key] = (
                self._shared(values) if len(values) <= MAX_SHARED else values
            )
        elif type(current) is frozenset:
            before = len(current)
            if values <= current:
                return
            grown = current.union(values)
            current = self.values[key] = (
                self._shared(grown) if len(grown) <= MAX_SHARED else set(grown)
            )
        else:
            before = len(current)
            current.update(values)
        if len(current) != before:
            if len(current) > MAX_LITERALS and key[0] != "{keys}":
                self._overflowing.add(key)
            self._enqueue_all(self.readers.get(key))
            dependents = self._attribute_dependents.pop(key, None)
            if dependents:
                if type(dependents) is tuple:
                    self._forget_attribute(dependents)
                else:
                    for entry in dependents:
                        self._forget_attribute(entry)
            if type(key) is tuple and key[0] == "^":
                self._bases_changed(key)

    def _shown(self, name: str) -> str:
        shown = self._display.get(name)
        if shown is None:
            shown = self._display[name] = display_name(name)
        return shown

    def _caller_name(self, module: str, qual: str) -> str:
        scope = self.scopes[(module, qual)]
        while scope.kind == "class" and scope.parent is not None:
            scope = self.scopes[(module, scope.parent)]
        return _full(module, scope.qualname)

    def _build_constraints(self, units: list[tuple[str, str]]) -> None:
        """One constraint per statement that moves values, in a good first order: within a
        scope its imports, nested definitions, calls (inner ones first), assignments, then
        returns, yields and effects. A constraint is re-evaluated alone when a location it
        read grows, not its whole scope."""
        sites: dict[str, list[tuple[str, int]]] = {}
        for unit in units:
            scope = self.scopes[unit]
            calls = self.calls[unit[0]]
            if unit[0] not in sites:
                sites[unit[0]] = [(unit[0], index) for index in range(len(calls))]
            # (line, rank within a line, tie-break, kind, payload): values mostly flow down
            # the source, and a call's arguments are calls of their own made before it.
            ordered: list[tuple[int, int, int, str, Any]] = []
            for item in self.import_assigns.get(unit, ()):
                ordered.append((item[2], 0, 0, "import", item))
            for child in self.children.get(unit, ()):
                ordered.append((child.line, 0, 1, "child", child))
            for index in scope.calls:
                ordered.append((calls[index].line, 1, -index, "call", index))
            for position, item in enumerate(scope.assigns):
                ordered.append((item[2], 2, position, "assign", item))
            for position, item in enumerate(scope.effects):
                ordered.append((item[1] or scope.line, 3, position, "effect", item))
            for position, value in enumerate(scope.returns):
                line = scope.return_lines[position] if scope.return_lines else scope.line
                ordered.append((line, 4, position, "return", (value, line)))
            for position, value in enumerate(scope.yields):
                line = scope.yield_lines[position] if scope.yield_lines else scope.line
                ordered.append((line, 4, position, "yield", (value, line)))
            if not ordered:
                continue
            ordered.sort(key=lambda item: item[:3])
            ctx = _Ctx(unit[0], unit[1], self._caller_name(*unit), 0, sites[unit[0]])
            for *_, kind, payload in ordered:
                self.constraints.append(ctx)
                self._kinds.append(kind)
                self._payloads.append(payload)

    def _evaluate(self, constraint: int) -> None:  # noqa: C901, PLR0912
        ctx = self.constraints[constraint]
        kind = self._kinds[constraint]
        payload = self._payloads[constraint]
        self._calls_made.clear()
        ctx.unit = constraint
        ctx.site = None
        ctx.call = None
        if kind == "call":
            index = payload
            site = ctx.site = ctx.sites[index]
            module = ctx.module
            call = self.calls[module][index]
            ctx.line = call.line
            ctx.call = index
            result = self._call_expr(call, ctx)
            ctx.site = None
            ctx.call = None
            self._write(site, result)
        elif kind == "assign":
            target, value, line = payload
            ctx.line = line
            if value[0] == "hint":
                self._store(target, self._eval(value[1], ctx), ctx, hint=True)
            else:
                self._store(target, self._eval(value, ctx), ctx)
        elif kind == "return":
            value, ctx.line = payload
            if value[0] == "guard":
                if not self._guards_hold(value[1], ctx):
                    return
                value = value[2]
            full = _full(ctx.module, ctx.qual)
            if value[0] == "n" and value[1] in self.passthrough.get(full, ()):
                return  # resolved per call, from the argument (see _call_function)
            self._write((full, "<return>"), self._eval(value, ctx))
        elif kind == "yield":
            value, ctx.line = payload
            self._write((_full(ctx.module, ctx.qual), "<yield>"), self._eval(value, ctx))
        elif kind == "effect":
            value, line = payload
            ctx.line = line or ctx.line
            self._eval(value, ctx)
        elif kind == "import":
            name, target, line = payload
            ctx.line = line
            self._store(("n", name), self._imported(target, ctx), ctx)
        else:
            self._seed_child(payload, self.scopes[(ctx.module, ctx.qual)], ctx)

    def _seed_child(self, child: FlowScope, parent: FlowScope, ctx: _Ctx) -> None:
        full = _full(ctx.module, child.qualname)
        ctx.line = child.line
        if child.kind == "class":
            for position, base in enumerate(child.bases):
                self._write(("^", full, position), self._eval(base, ctx))
            return
        for param in child.params:
            if param.default is not None:
                default = self._eval(param.default, ctx)
                self._write(("{default}", full, param.name), default)
                self._hint((full, param.name), default)
            if param.annotation is not None:
                self._hint((full, param.name), self._eval(param.annotation, ctx))
        if child.returns_hint is not None:
            self._hint((full, "<return>"), self._eval(child.returns_hint, ctx))
        if parent.kind == "class" and child.kind == "function" and child.params:
            first = child.params[0]
            if first.kind not in ("pos", "posonly"):
                return
            owner = _full(ctx.module, parent.qualname)
            kind = self._method_kind(child, ctx)
            if kind == "k":
                self._hint((full, first.name), {"c" + owner}, late=True)
            elif kind == "f":
                self._hint((full, first.name), {"i" + owner}, late=True)

    def _method_kind(self, scope: FlowScope, ctx: _Ctx) -> str:
        name = scope.qualname.rpartition(".")[2]
        if name == "__new__" or name in _IMPLICIT_CLASSMETHODS:
            return "k"
        for decorator in scope.decorators:
            if decorator == ("n", "staticmethod"):
                return "s"
            if decorator == ("n", "classmethod"):
                return "k"
        return "f"

    # -- names

    def _location(self, name: str, ctx: _Ctx) -> object:
        """The location a name refers to where `ctx` evaluates (cached per scope)."""
        key = ctx.names.get(name)
        if key is None:
            key = ctx.names[name] = self._lookup(ctx.module, ctx.qual, name)
        return key

    def _lookup(self, module: str, qual: str, name: str) -> object:
        """The location a name refers to in a scope: a variable key, or "B" for a builtin."""
        scope = self.scopes.get((module, qual))
        first = True
        result: object = None
        while scope is not None and scope.parent is not None:
            if name in scope.global_names:
                break
            if (scope.kind != "class" or first) and name in scope.local_names:
                result = (_full(module, scope.qualname), name)
                break
            first = False
            scope = self.scopes.get((module, scope.parent))
        if result is None:
            if name in self.bound.get(module, ()) or name not in BUILTIN_NAMES:
                result = (module, name)
            else:
                result = "B"
        return result

    def _load_name(self, name: str, ctx: _Ctx) -> set[str]:
        key = ctx.names.get(name)
        if key is None:
            key = ctx.names[name] = self._lookup(ctx.module, ctx.qual, name)
        if key == "B":
            return {"B" + name}
        readers = self.readers.get(key)
        if readers is None:
            self.readers[key] = ctx.unit
        elif type(readers) is set:
            readers.add(ctx.unit)
        elif readers != ctx.unit and (type(readers) is int or ctx.unit not in readers):
            self.readers[key] = _more_readers(readers, ctx.unit)
        values = self.values.get(key, _EMPTY)
        if not values and key == (ctx.module, name) and name in _MODULE_DUNDERS:
            return {"Tstr"}
        return values

    def _imported(self, dotted: str, ctx: _Ctx) -> set[str]:
        top, _, rest = dotted.partition(".")
        if top not in self.namespaces or not self._names_analyzed_code(dotted):
            # Outside code, or a path into the project that names no analyzed module or
            # module-level name (an excluded `django.test`, a module that did not parse).
            self.import_paths.add(dotted)
            return {"x" + dotted}
        values = {"M" + top}
        if rest:
            for part in rest.split("."):
                values = self._attributes(values, part, ctx)
        return values

    def _names_analyzed_code(self, dotted: str) -> bool:
        if dotted in self.namespaces:
            return True
        module = self.index.longest_internal_prefix(dotted)
        if module is None:
            return False  # only namespace packages on the way, and the path is none of them
        head = dotted[len(module) + 1 :].split(".")[0]
        return head in self.bound.get(module, ()) or f"{module}.{head}" in self.namespaces

    # -- stores

    def _store(self, target: Expr, values: set[str], ctx: _Ctx, hint: bool = False) -> None:
        tag = target[0]
        if tag == "n":
            key = self._location(target[1], ctx)
            if key == "B":
                key = (ctx.module, target[1])
            if hint:
                self._hint(key, values)
            else:
                self._write(key, values)
        elif tag == "a":
            for base in self._eval(target[1], ctx):
                self._store_attribute(base, target[2], values, ctx, hint)
        elif hint:
            return
        elif tag == "s":
            keys = self._subscript_keys(target, ctx)
            for base in self._eval(target[1], ctx):
                for key in keys:
                    self._store_item(base, key, values, ctx)
        elif tag == "t":
            self._unpack(target[1], values, ctx)
        elif tag == "*":
            self._store(target[1], values, ctx)

    def _unpack(self, targets: tuple[Expr, ...], values: set[str], ctx: _Ctx) -> None:
        starred = any(t[0] == "*" for t in targets)
        for position, target in enumerate(targets):
            if target[0] == "*":
                site = f"K{ctx.module}#u{ctx.line}:{position}"
                self._write_item(site, "*", self._iterate(values, ctx))
                self._set_kind(site, "list")
                self._store(target[1], {site}, ctx)
                continue
            key: int | None = None if starred and position > 0 else position
            element: set[str] = set()
            for value in values:
                if value[0] == "K":
                    element |= self._load_item(value, key, ctx)
                else:
                    element |= self._iterate({value}, ctx)
            self._store(target, element, ctx)

    def _store_attribute(
        self, base: str, attr: str, values: set[str], ctx: _Ctx, hint: bool = False
    ) -> None:
        tag = base[0]
        if hint:
            if tag == "i":
                self._hint(("@", base[1:], attr), values)
            elif tag == "c":
                self._hint((base[1:], attr), values)
            return
        if tag == "i":
            cls = base[1:]
            found = self._attribute_info(cls, attr, ctx)[1]
            if found is not None:
                for value in found[1]:
                    if value[0] == "p":
                        for setter in self._read(("{setter}", value[1:]), ctx):
                            self._call_function(setter, [values], {}, base, ctx)
                        return
            self._write(("@", cls, attr), values)
        elif tag == "f":
            self._write(("@f", base[1:], attr), values)
        elif tag == "c" or tag == "M":
            self._write((base[1:], attr), values)

    def _store_item(self, base: str, key: object, values: set[str], ctx: _Ctx) -> None:
        tag = base[0]
        if tag == "K":
            self._write_item(base, "*" if key is None or isinstance(key, tuple) else key, values)
        elif tag == "i":
            self._call_dunder(base, "__setitem__", [set(), values], ctx)

    # -- expressions

    def _eval(self, expr: Expr, ctx: _Ctx) -> set[str]:  # noqa: C901, PLR0911, PLR0912
        tag = expr[0]
        if tag == "n":
            return self._load_name(expr[1], ctx)
        if tag == "a":
            return self._attributes(self._eval(expr[1], ctx), expr[2], ctx)
        if tag == "c":
            return self._read(ctx.sites[expr[1]], ctx)
        if tag == "T":
            if len(expr) > 2:
                return {("vs:" if expr[1] == "str" else "vi:") + str(expr[2])}
            return {"T" + expr[1]}
        if tag == "o":
            out: set[str] = set()
            for part in expr[1]:
                out |= self._eval(part, ctx)
            return out
        if tag == "L":
            return self._container(expr, ctx)
        if tag == "D":
            return self._dict(expr, ctx)
        if tag == "s":
            out = set()
            keys = self._subscript_keys(expr, ctx)
            for base in self._eval(expr[1], ctx):
                for key in keys:
                    out |= self._subscript(base, key, ctx)
            return out
        if tag == "F":
            return self._definition(expr[1], ctx)
        if tag == "op":
            return self._operator(expr, ctx)
        if tag == "it":
            return self._iterate(self._eval(expr[1], ctx), ctx)
        if tag == "ent":
            return self._enter(self._eval(expr[1], ctx), ctx)
        if tag == "ins":
            return self._instances(self._eval(expr[1], ctx), ctx)
        if tag == "exc":
            return self._instances(self._eval(expr[1], ctx), ctx, subclasses=True)
        if tag == "raise":
            for value in self._eval(expr[1], ctx):
                if value[0] == "c":
                    self._instantiate(value[1:], [], {}, ctx)
            return _EMPTY
        if tag == "*":
            return self._iterate(self._eval(expr[1], ctx), ctx)
        if tag == "not":
            self._eval(expr[1], ctx)
            return {"Tbool"}
        if tag == "fmt":
            return _concatenations([self._eval(part, ctx) for part in expr[1]])
        return _EMPTY

    # -- constant conditions

    def _guards_hold(self, guards: tuple, ctx: _Ctx) -> bool:
        """Whether every (test, outcome) may hold. A test whose operands hold nothing yet is
        undecided: not held for now, assumed possible if that stays so at the fixpoint."""
        for test, outcome in guards:
            outcomes = self._truth(test, ctx)
            if outcomes is None:
                if (ctx.unit, test) in self.any_key:
                    continue
                self.undecided_keys.add((ctx.unit, test))
                return False
            if outcome not in outcomes:
                return False
        return True

    def _truth(self, test: Expr, ctx: _Ctx) -> set[bool] | None:  # noqa: PLR0911
        """The outcomes a condition can have, from constant operands; None if undecided."""
        tag = test[0]
        if tag == "o" and len(test[1]) == 2 and test[1][1] == ("T", "bool"):
            return self._truth(test[1][0], ctx)
        if tag == "not":
            inner = self._truth(test[1], ctx)
            return None if inner is None else {not value for value in inner}
        if tag == "op" and test[1] in ("__eq__", "__ne__") and test[3] is not None:
            lefts, rights = self._eval(test[2], ctx), self._eval(test[3], ctx)
            if not lefts or not rights:
                return None
            left, right = _literal_values(lefts), _literal_values(rights)
            if left is None or right is None:
                return {True, False}
            equal = {a == b for a in left for b in right}
            return equal if test[1] == "__eq__" else {not value for value in equal}
        if tag == "c":
            return self._constant_call_truth(test[1], ctx)
        return {True, False}

    def _constant_call_truth(self, index: int, ctx: _Ctx) -> set[bool] | None:
        """`name.endswith(".tsv")` and the like, on constant strings."""
        call = self.calls[ctx.module][index]
        func = call.func
        if func[0] != "a" or func[2] not in _PURE_STR_PREDICATES or call.kwargs:
            return {True, False}
        bases = self._eval(func[1], ctx)
        args = [self._eval(arg, ctx) for arg in call.args]
        if not bases or not all(args):
            return None
        strings = _literal_values(bases)
        constants = [_literal_values(arg) for arg in args]
        if strings is None or any(c is None for c in constants):
            return {True, False}
        outcomes: set[bool] = set()
        for string in strings:
            if not isinstance(string, str):
                return {True, False}
            for arguments in itertools.product(*constants):
                try:
                    outcomes.add(bool(getattr(str, func[2])(string, *arguments)))
                except (TypeError, ValueError):
                    return {True, False}
        return outcomes

    def _subscript_keys(self, expr: Expr, ctx: _Ctx) -> list[object]:
        """The keys a subscript may use: its literal key, or the literal values its key
        expression holds, or [None] (any key)."""
        key = expr[2]
        if key is None and len(expr) > 3:
            return self._keys_from(self._eval(expr[3], ctx), expr, ctx)
        return [key]

    def _keys_from(self, values: set[str], site: object, ctx: _Ctx) -> list[object]:
        """Keys from a key's values: its constants; [None] (any key) when it may hold
        something else; none yet while nothing has flowed in (any key if that stays so)."""
        if not values:
            if (ctx.unit, site) in self.any_key:
                return [None]
            self.undecided_keys.add((ctx.unit, site))
            return []
        return _literal_values(values) or [None]

    def _container(self, expr: Expr, ctx: _Ctx) -> set[str]:
        _, kind, site, elements = expr
        name = f"K{ctx.module}#{site}"
        self._set_kind(name, kind)
        starred = False
        if kind in ("list", "tuple") and not any(e[0] in ("*", "*e") for e in elements):
            self.lengths[name] = len(elements)
        for position, element in enumerate(elements):
            if element[0] == "*":
                starred = True
                self._write_item(name, "*", self._iterate(self._eval(element[1], ctx), ctx))
            elif element[0] == "*e":  # a comprehension's element: any position
                self._write_item(name, "*", self._eval(element[1], ctx))
            else:
                key = "*" if starred or kind in ("set", "gen") else position
                self._write_item(name, key, self._eval(element, ctx))
        return {name}

    def _dict(self, expr: Expr, ctx: _Ctx) -> set[str]:
        _, site, items = expr
        name = f"K{ctx.module}#{site}"
        self._set_kind(name, "dict")
        for key, value in items:
            values = self._eval(value, ctx)
            if key == "**":
                self._merge_dict(name, values, ctx)
            else:
                self._write_item(name, "*" if key is None else key, values)
                if isinstance(key, str):
                    self._write(("[", name, "<keys>"), {"Tstr"})
                elif isinstance(key, int):
                    self._write(("[", name, "<keys>"), {"Tint"})
        return {name}

    def _merge_dict(self, name: str, sources: set[str], ctx: _Ctx) -> None:
        for source in sources:
            if source[0] != "K":
                continue
            for key in self._keys(source, ctx):
                self._write_item(name, key, self._read(("[", source, key), ctx))

    def _definition(self, qual: str, ctx: _Ctx) -> set[str]:
        module = ctx.module
        full = _full(module, qual)
        scope = self.scopes.get((module, qual))
        if scope is None:
            return _EMPTY
        values = {("c" if scope.kind == "class" else "f") + full}
        for position in range(len(scope.decorators) - 1, -1, -1):
            values = self._decorate(values, scope.decorators[position], (full, position), ctx)
        return values

    def _decorate(
        self, values: set[str], decorator: Expr, decorated: tuple[str, int], ctx: _Ctx
    ) -> set[str]:
        full = decorated[0]
        if decorator[0] == "a" and decorator[2] in ("setter", "getter", "deleter"):
            properties = {v for v in self._eval(decorator[1], ctx) if v[0] == "p"}
            if properties:
                if decorator[2] == "setter":
                    for prop in properties:
                        self._write(("{setter}", prop[1:]), {full})
                return properties
        callables = self._eval(decorator, ctx)
        result: set[str] = set()
        keep = False
        if not callables:
            if decorated in self.unknown_decorators:
                return values
            self.undecided.add((ctx.unit, decorated))
            return _EMPTY
        for value in callables:
            descriptor = _DESCRIPTOR_DECORATORS.get(value)
            if descriptor is not None:
                result |= {descriptor + v[1:] if v[0] == "f" else v for v in values}
                continue
            if value[0] in ("x", "o") or (value[0] == "B" and value != "Bsuper"):
                keep = True
        generic = {v for v in callables if v not in _DESCRIPTOR_DECORATORS}
        if generic:
            result |= self._call(generic, [values], {}, ctx)
        if keep:
            result |= values
        return result

    def _operator(self, expr: Expr, ctx: _Ctx) -> set[str]:
        _, dunder, left, right = expr
        lefts = self._eval(left, ctx)
        rights = self._eval(right, ctx) if right is not None else None
        out: set[str] = set()
        args = [rights] if rights is not None else []
        for value in lefts:
            tag = value[0]
            if tag == "i":
                found = self._call_dunder(value, dunder, args, ctx)
                if found is None and dunder in AUGMENTED_FALLBACK:
                    found = self._call_dunder(value, AUGMENTED_FALLBACK[dunder], args, ctx)
                if found is not None:
                    out |= found
            elif tag == "v":
                out.add("Tstr" if value[1] == "s" else "Tint")
            elif tag in ("K", "T"):
                if dunder in (
                    "__add__",
                    "__iadd__",
                    "__mul__",
                    "__imul__",
                    "__mod__",
                    "__or__",
                    "__ior__",
                ):
                    out.add(value)
            elif tag == OPAQUE or tag == "x":
                out.add(OPAQUE)
        if dunder in ("__add__", "__iadd__") and rights is not None:
            joined = _concatenations([lefts, rights])
            if joined != {"Tstr"}:
                out.discard("Tstr")
                return out | joined
        if rights is not None and dunder in ("__add__", "__iadd__", "__or__", "__ior__"):
            out |= {v for v in rights if v[0] == "K"}
        if (
            dunder in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__contains__")
            and not out
        ):
            out.add("Tbool")
        return out

    # -- attributes

    def _attributes(self, bases: set[str], attr: str, ctx: _Ctx) -> set[str]:
        out: set[str] = set()
        for base in bases:
            out |= self._attribute(base, attr, ctx)
        return out

    def _attribute(self, base: str, attr: str, ctx: _Ctx) -> set[str]:  # noqa: PLR0911, PLR0912
        tag = base[0]
        if tag == UNKNOWN:
            return {UNKNOWN}
        if attr in _NAME_ATTRIBUTES and tag in "cfmM":
            return {"Tstr"}  # `cls.__name__`, `func.__qualname__`, `module.__name__`
        if attr == "__dict__" and tag in "icM":
            return {"Tdict"}
        if tag == "i":
            return self._instance_attribute(base, attr, ctx)
        if tag == "c":
            found = self._attribute_info(base[1:], attr, ctx)[1]
            if found is None:
                return _EMPTY
            out: set[str] = set()
            for value in found[1]:
                kind = value[0]
                if kind == "k":
                    out.add(self._bound(value[1:], base))
                elif kind == "s":
                    out.add("f" + value[1:])
                else:
                    out.add(value)
            return out
        if tag == "M":
            module = base[1:]
            out = set(self._read((module, attr), ctx))
            submodule = f"{module}.{attr}"
            if submodule in self.namespaces:
                out.add("M" + submodule)
            return out
        if tag == "x":
            if base.count(".") >= MAX_EXTERNAL_DEPTH and base[1:] not in self.import_paths:
                return {OPAQUE}
            return {f"{base}.{attr}"}
        if tag == OPAQUE:
            return {OPAQUE}
        if tag == "T" or tag == "v":
            kind = base[1:] if tag == "T" else ("str" if base[1] == "s" else "int")
            label = TYPE_LABELS.get(kind)
            if label is None or not hasattr(_BUILTIN_TYPES[kind], attr):
                return _EMPTY
            return {f"t{kind}|{label}.{attr}"}
        if tag == "K":
            kind = self._container_kind(base)
            python_type = _BUILTIN_TYPES.get(kind)
            if python_type is not None and not hasattr(python_type, attr):
                return _EMPTY
            return {f"q{base}|{attr}"}
        if tag == "S":
            return self._super_attribute(base, attr, ctx)
        if tag == "f":
            return self._read(("@f", base[1:], attr), ctx)
        if tag == "g" and attr == "get":
            return {"h" + base[1:]}
        if tag == "B":
            kind = base[1:]
            label = TYPE_LABELS.get(kind)
            if label and hasattr(_BUILTIN_TYPES[kind], attr):
                return {f"t{kind}|{label}.{attr}"}
            return _EMPTY
        return _EMPTY

    def _attribute_info(
        self, cls: str, attr: str, ctx: _Ctx
    ) -> tuple[set[str], tuple[str, set[str]] | None]:
        """(instance fields named `attr` set by any class along the MRO, (owner, values) of
        the first class along the MRO that defines it). Cached per (class, attribute): the
        entry is dropped when a location it read grows or the MRO changes, and whoever
        asked is re-evaluated then."""
        entry = (cls, attr)
        record = self._attribute_entries.get(entry)
        if record is None:
            record = self._attribute_entries[entry] = [ctx.unit, None]
        else:
            readers = record[0]
            if type(readers) is set:
                readers.add(ctx.unit)
            elif readers != ctx.unit and (type(readers) is int or ctx.unit not in readers):
                record[0] = _more_readers(readers, ctx.unit)
            cached = record[1]
            if cached is not None:
                return cached
        mro = self._mro_cache.get(cls) or self._linearize(cls)
        values = self.values
        dependents = self._attribute_dependents
        fields: set[str] = set()
        found: tuple[str, set[str]] | None = None
        names = self._owner_names
        for owner in mro:
            if owner[0] == "c":
                name = names.get(owner) or names.setdefault(owner, owner[1:])
                field = ("@", name, attr)
                _depend(dependents, field, entry)
                fields |= values.get(field, _EMPTY)
        for owner in mro:
            if owner[0] == "c":
                name = names.get(owner) or names.setdefault(owner, owner[1:])
                location = (name, attr)
                _depend(dependents, location, entry)
                defined = values.get(location)
                if defined:
                    found = (name, defined)
                    break
            elif owner[0] == "x":
                found = (owner[1:], {f"{owner}.{attr}"})
                break
        cached = record[1] = (fields or _NO_FIELDS, found)
        self._attributes_by_class[cls].add(attr)
        return cached

    def _forget_attribute(self, entry: tuple[str, str]) -> None:
        record = self._attribute_entries.get(entry)
        if record is not None and record[1] is not None:
            record[1] = None
            self._enqueue_all(record[0])

    def _instance_attribute(self, base: str, attr: str, ctx: _Ctx) -> set[str]:
        cls = base[1:]
        fields, found = self._attribute_info(cls, attr, ctx)
        out = set(fields)
        if found is not None and not (out and found[0] not in self.definitions):
            for value in found[1]:
                out |= self._bind(value, base, ctx)
        return out

    def _bound(self, function: str, receiver: str) -> str:
        """A method bound to a receiver: the receiver flows into its first parameter now,
        and the bound method is one value per function (not per receiver)."""
        method = self._methods.get(function)
        if method is None:
            found = self.definitions.get(function)
            key = None
            if found is not None:
                params = found[1].params
                if params and params[0].kind in ("pos", "posonly"):
                    key = (function, params[0].name)
            method = self._methods[function] = (key, "m" + function)
        key = method[0]
        if key is not None:
            current = self.values.get(key)
            if current is None or (receiver not in current and UNKNOWN not in current):
                self._write(key, (receiver,))
        return method[1]

    def _bind(self, value: str, receiver: str, ctx: _Ctx) -> set[str]:
        """A class attribute read through an instance."""
        kind = value[0]
        if kind == "f":
            return {self._bound(value[1:], receiver)}
        if kind == "k":
            return {self._bound(value[1:], "c" + receiver[1:])}
        if kind == "s":
            return {"f" + value[1:]}
        if kind == "p":
            return self._call_function(value[1:], [], {}, receiver, ctx)
        return {value}

    def _super_attribute(self, base: str, attr: str, ctx: _Ctx) -> set[str]:
        cls, _, receiver = base[1:].partition("|")
        start = receiver[1:] if receiver[0] in ("i", "c") else cls
        mro = self._mro(start, ctx)
        try:
            position = mro.index("c" + cls)
        except ValueError:
            mro = self._mro(cls, ctx)
            position = 0
        for owner in mro[position + 1 :]:
            if owner[0] == "c":
                values = self._read((owner[1:], attr), ctx)
                if values:
                    out: set[str] = set()
                    for value in values:
                        if receiver[0] == "i":
                            out |= self._bind(value, receiver, ctx)
                        elif value[0] in ("f", "k"):
                            out.add(self._bound(value[1:], receiver))
                        elif value[0] == "s":
                            out.add("f" + value[1:])
                        else:
                            out.add(value)
                    return out
            elif owner[0] == "x":
                return {f"{owner}.{attr}"}
        return {OBJECT_SLOT} if hasattr(object, attr) else _EMPTY

    def _bases_changed(self, key: object) -> None:
        """A class's bases grew: forget the MROs that used them and re-evaluate what read
        those MROs, and everything that asked for subclasses."""
        dropped = self._mro_dependents.pop(key, ())
        for cls in dropped:
            self._mro_cache.pop(cls, None)
            self._mro_deps.pop(cls, None)
            self._enqueue_all(self.readers.get(("{mro}", cls)))
            for attr in self._attributes_by_class.pop(cls, ()):
                self._forget_attribute((cls, attr))
        if dropped:
            for constraint in self._subclass_builders:
                self._enqueue(constraint)
        if self._subclass_cache is not None:
            self._subclass_cache = None
            for constraint in self._subclass_users:
                self._enqueue(constraint)

    def _subclasses(self, cls: str, ctx: _Ctx) -> set[str]:
        """Every analyzed class with `cls` in its MRO, except `cls` itself."""
        self._subclass_users.add(ctx.unit)
        if self._subclass_cache is None:
            self._subclass_builders.add(ctx.unit)
            names = self._class_names
            if names is None:
                names = self._class_names = [
                    full for full, (_m, scope) in self.definitions.items() if scope.kind == "class"
                ]
            index: dict[str, set[str]] = defaultdict(set)
            mros = self._mro_cache
            for full in names:
                for owner in (mros.get(full) or self._linearize(full))[1:]:
                    if owner[0] == "c":
                        index[owner[1:]].add(full)
            self._subclass_cache = index
        return self._subclass_cache.get(cls, set())

    def _mro(self, cls: str, ctx: _Ctx) -> tuple[str, ...]:
        """C3 linearization over internal classes ("c" + name); an external base ("x" + path)
        ends its branch. Builtin bases (object, Exception) are left out. The constraint
        asking is re-evaluated when a base along the way changes."""
        mro = self._mro_cache.get(cls)
        if mro is None:
            mro = self._linearize(cls)
        key = ("{mro}", cls)
        readers = self.readers.get(key)
        if readers is None:
            self.readers[key] = ctx.unit
        elif type(readers) is set:
            readers.add(ctx.unit)
        elif readers != ctx.unit and (type(readers) is int or ctx.unit not in readers):
            self.readers[key] = _more_readers(readers, ctx.unit)
        return mro

    def _linearize(self, cls: str) -> tuple[str, ...]:
        """The MRO of `cls`, computed with those of every class it reaches that has none
        cached yet, one strongly connected component of the base graph at a time."""
        cached = self._mro_cache.get(cls)
        if cached is not None:
            return cached
        bases: dict[str, tuple[list[str], list[object]]] = {}
        for component in self._uncached_class_components(cls, bases):
            self._linearize_component(component, bases)
        return self._mro_cache[cls]

    def _class_bases(self, cls: str) -> tuple[list[str], list[object]]:
        """(The bases of `cls` that are classes, internal "c" or external "x", in order;
        the locations they were read from.)"""
        found = self.definitions.get(cls)
        count = len(found[1].bases) if found is not None and found[1].kind == "class" else 0
        keys: list[object] = []
        bases: list[str] = []
        for position in range(count):
            key = ("^", cls, position)
            keys.append(key)
            bases.extend(b for b in sorted(self.values.get(key, ())) if b[0] in ("c", "x"))
        return bases, keys

    def _uncached_class_components(
        self, cls: str, bases: dict[str, tuple[list[str], list[object]]]
    ) -> list[list[str]]:
        """The strongly connected components of the internal-base graph reachable from
        `cls` through classes with no cached MRO, each after every component its classes
        derive from (Tarjan's algorithm, iterative); `bases` gets each class's
        `_class_bases`. A class with a cached MRO is never in a cycle with one without: a
        change to any base along a cycle drops every MRO that went through it (see
        `_linearize_component`)."""
        cache = self._mro_cache
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        components: list[list[str]] = []

        def successors(name: str) -> Iterator[str]:
            bases[name] = self._class_bases(name)
            for base in bases[name][0]:
                if base[0] == "c" and base[1:] not in cache:
                    yield base[1:]

        index[cls] = low[cls] = 0
        stack.append(cls)
        on_stack.add(cls)
        work: list[tuple[str, Iterator[str]]] = [(cls, successors(cls))]
        while work:
            name, pending = work[-1]
            for base in pending:
                if base not in index:
                    index[base] = low[base] = len(index)
                    stack.append(base)
                    on_stack.add(base)
                    work.append((base, successors(base)))
                    break
                if base in on_stack:
                    low[name] = min(low[name], index[base])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[name])
                if low[name] == index[name]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == name:
                            break
                    components.append(component)
        return components

    def _linearize_component(
        self, component: list[str], bases_read: dict[str, tuple[list[str], list[object]]]
    ) -> None:
        """C3 linearization of one component's classes, whose other bases are all cached.

        Bases that form a cycle cannot all be linearized: the cycle is cut the same way
        whichever class was asked for first (so the result does not depend on the order
        of a set, which varies with string hashing). A depth-first walk from the
        component's least name, through bases in order, drops each edge back to a class
        still on the walk's path; such a base appears in the MRO without its own
        ancestors. Every class of the component depends on every base location of the
        component, so a change anywhere along a cycle recomputes all of it."""
        members = set(component)
        bases: dict[str, list[str]] = {}
        deps: set[object] = set()
        for name in component:
            bases[name], keys = bases_read[name]
            deps.update(keys)
        cache = self._mro_cache
        for name in component:
            for base in bases[name]:
                if base[0] == "c" and base[1:] not in members:
                    deps |= self._mro_deps.get(base[1:], set())
        cut: set[tuple[str, str]] = set()
        order: list[str] = []  # each class after the ones it derives from, cut edges aside
        state: dict[str, int] = {}  # 1 on the path, 2 finished
        root = min(component)
        state[root] = 1
        walk: list[tuple[str, Iterator[str]]] = [(root, iter(bases[root]))]
        while walk:
            name, pending = walk[-1]
            for base in pending:
                target = base[1:]
                if base[0] != "c" or target not in members:
                    continue
                seen = state.get(target)
                if seen == 1:
                    cut.add((name, target))
                elif seen is None:
                    state[target] = 1
                    walk.append((target, iter(bases[target])))
                    break
            else:
                walk.pop()
                state[name] = 2
                order.append(name)
        for name in order:
            sequences: list[list[str]] = []
            for base in bases[name]:
                if base[0] != "c" or (name, base[1:]) in cut:
                    sequences.append([base])
                else:
                    sequences.append(list(cache[base[1:]]))
            sequences.append(list(bases[name]))
            mro = _c3_merge("c" + name, sequences)
            cache[name] = mro
            self._mro_deps[name] = deps
        for dep in deps:
            self._mro_dependents[dep].update(component)

    # -- subscripts, iteration, with

    def _subscript(self, base: str, key: object, ctx: _Ctx) -> set[str]:
        tag = base[0]
        if tag == "K":
            if isinstance(key, tuple):
                return {self._slice(base, key)}
            return self._load_item(base, key, ctx)
        if tag == "i":
            found = self._call_dunder(base, "__getitem__", [set()], ctx)
            return found or _EMPTY
        if tag == "T" or tag == "v":
            if base == "Tstrs":
                return {base} if isinstance(key, tuple) else {"Tstr"}
            if base == "Tbytes":
                return {base} if isinstance(key, tuple) else {"Tint"}
            return {"Tstr"} if base == "Tstr" or base.startswith("vs:") else _EMPTY
        if tag in ("x", OPAQUE):
            return {OPAQUE}
        if tag == UNKNOWN:
            return {UNKNOWN}
        if tag == "g" and isinstance(key, str):
            return set(self._read((base[1:], key), ctx))
        return _EMPTY

    def _slice(self, container: str, key: tuple) -> str:
        """A slice of a list or tuple display with literal bounds is a view of its items;
        any other slice may hold any of its items (the container itself stands for it)."""
        length = self.lengths.get(container)
        if length is None or "!" in container or self.values.get(("[", container, "*")):
            return container
        indexes = range(length)[key[1] : key[2]]
        return f"{container}!s{indexes.start}:{indexes.stop}"

    def _load_item(self, container: str, key: object, ctx: _Ctx) -> set[str]:
        derived = container.rpartition("!")
        if derived[1]:
            return self._load_derived(derived[0], derived[2], key, ctx)
        if key is None or key == "*":
            out: set[str] = set()
            for stored in self._keys(container, ctx):
                if stored != "<keys>":
                    out |= self._read(("[", container, stored), ctx)
            return out
        exact = self._read(("[", container, key), ctx)
        anywhere = self._read(("[", container, "*"), ctx)
        if exact:
            return exact | anywhere
        if isinstance(key, int) and key < 0:
            length = self.lengths.get(container)
            if length is not None and not anywhere and length + key >= 0:
                return set(self._read(("[", container, length + key), ctx))
            return self._load_item(container, None, ctx)
        return set(anywhere)

    def _keys(self, container: str, ctx: _Ctx) -> set[object]:
        return self._read(("{keys}", container), ctx)  # type: ignore[return-value]

    def _load_derived(self, container: str, view: str, key: object, ctx: _Ctx) -> set[str]:
        if view[0] == "s":
            start, _, stop = view[1:].partition(":")
            indexes = range(int(start), int(stop))
            if isinstance(key, int) and -len(indexes) <= key < len(indexes):
                return self._load_item(container, indexes[key], ctx)
            out: set[str] = set()
            for index in indexes:
                out |= self._load_item(container, index, ctx)
            return out
        if view == "pair":
            if key == 0:
                return self._dict_keys(container, ctx)
            if key == 1:
                return self._load_item(container, None, ctx)
            return self._dict_keys(container, ctx) | self._load_item(container, None, ctx)
        return self._iterate({container + "!" + view}, ctx)

    def _dict_keys(self, container: str, ctx: _Ctx) -> set[str]:
        return set(self._read(("[", container, "<keys>"), ctx))

    def _iterate(self, values: set[str], ctx: _Ctx) -> set[str]:
        out: set[str] = set()
        for value in values:
            tag = value[0]
            if tag == "K":
                container, bang, view = value.partition("!")
                if bang:
                    if view[0] == "s":
                        out |= self._load_derived(container, view, None, ctx)
                    elif view == "items":
                        out.add(container + "!pair")
                    elif view == "values":
                        out |= self._load_item(container, None, ctx)
                    elif view == "keys":
                        out |= self._dict_keys(container, ctx)
                    elif view == "pair":
                        out |= self._load_derived(container, "pair", None, ctx)
                elif "dict" in self.values.get(("{kind}", value), ()):
                    out |= self._dict_keys(value, ctx)
                else:
                    out |= self._load_item(value, None, ctx)
            elif tag == "G":
                out |= self._read((value[1:], "<yield>"), ctx)
            elif tag == "i":
                iterators = self._call_dunder(value, "__iter__", [], ctx)
                if iterators is None:
                    continue
                for iterator in iterators:
                    if iterator[0] == "i":
                        found = self._call_dunder(iterator, "__next__", [], ctx)
                        out |= found or _EMPTY
                    else:
                        out |= self._iterate({iterator}, ctx)
            elif tag == "T" or tag == "v":
                if value in ("Tstr", "Tstrs") or value.startswith("vs:"):
                    out.add("Tstr")
                elif value == "Tbytes":
                    out.add("Tint")
            elif tag in ("x", OPAQUE):
                out.add(OPAQUE)
            elif tag == UNKNOWN:
                out.add(UNKNOWN)
        return out

    def _enter(self, values: set[str], ctx: _Ctx) -> set[str]:
        out: set[str] = set()
        for value in values:
            tag = value[0]
            if tag == "i":
                entered = self._call_dunder(value, "__enter__", [], ctx)
                if entered is None:
                    entered = self._call_dunder(value, "__aenter__", [], ctx)
                    self._call_dunder(value, "__aexit__", [set(), set(), set()], ctx)
                else:
                    self._call_dunder(value, "__exit__", [set(), set(), set()], ctx)
                out |= entered or _EMPTY
            elif tag == "G":
                out |= self._read((value[1:], "<yield>"), ctx)
            elif tag in ("x", OPAQUE):
                out.add(OPAQUE)
        return out

    def _instances(
        self,
        values: set[str],
        ctx: _Ctx,
        subclasses: bool = False,
        seen: set[str] | None = None,
    ) -> set[str]:
        """Instances of the classes named (also inside tuples of classes); with
        `subclasses`, of their analyzed subclasses too (what `except Base as e` catches)."""
        out: set[str] = set()
        for value in values:
            tag = value[0]
            if tag == "c":
                out.add("i" + value[1:])
                if subclasses:
                    out |= {"i" + c for c in self._subclasses(value[1:], ctx)}
            elif tag == "x":
                out.add(OPAQUE)
            elif tag == "B":
                name = value[1:]
                if name in TYPE_LABELS or name == "bool":
                    out.add("T" + name)
            elif tag == "K":
                seen = set() if seen is None else seen
                if value not in seen:  # a container may hold itself
                    seen.add(value)
                    elements = self._load_item(value, None, ctx)
                    out |= self._instances(elements, ctx, subclasses, seen)
        return out

    # -- calls

    def _call_expr(self, call: FlowCall, ctx: _Ctx) -> set[str]:
        callees = self._eval(call.func, ctx)
        site = ctx.site
        if UNKNOWN in callees:
            self.unknown_sites.add(site)
        else:
            self.unknown_sites.discard(site)
        args: list[set[str] | tuple[str, set[str]]] = []
        for arg in call.args:
            if arg[0] == "*":
                args.append(("*", self._eval(arg[1], ctx)))
            else:
                args.append(self._eval(arg, ctx))
        kwargs = {name: self._eval(value, ctx) for name, value in call.kwargs}
        if not callees:
            return _EMPTY
        return self._call(callees, args, kwargs, ctx)

    def _note(self, ctx: _Ctx, kind: str) -> None:
        """Mark the call site being evaluated as reaching internal ("i") or outside ("e")
        code (see `site_targets`)."""
        site = ctx.site
        if site is not None:
            marks = self.site_targets.get(site)
            if marks is None:
                self.site_targets[site] = kind
            elif kind not in marks:
                self.site_targets[site] = "ie"

    def _edge(
        self, ctx: _Ctx, callee: str, callee_module: str | None, instantiates: bool = False
    ) -> None:
        key = (ctx.caller, callee, ctx.line)
        site = ctx.site
        edges = self.edges
        edge = edges.get(key)
        if edge is None:  # one string per callee name, not one per edge
            key = (key[0], sys.intern(callee), key[2])
            edges[key] = (ctx.module, callee_module, instantiates, site)
        else:
            sites = edge[3]
            if type(sites) is set:
                sites.add(site)
            elif sites != site:
                edges[key] = (edge[0], edge[1], edge[2], {sites, site})
        if site is not None:
            kind = "e" if callee_module is None else "i"
            marks = self.site_targets.get(site)
            if marks is None:
                self.site_targets[site] = kind
            elif kind not in marks:
                self.site_targets[site] = "ie"

    def _call(self, callees: set[str], args: list, kwargs: dict, ctx: _Ctx) -> set[str]:  # noqa: C901, PLR0912
        out: set[str] = set()
        for callee in callees:
            tag = callee[0]
            if tag == "f":
                out |= self._call_function(callee[1:], args, kwargs, None, ctx)
            elif tag == "m":
                out |= self._call_function(callee[1:], args, kwargs, _BOUND, ctx)
            elif tag == "s" or tag == "k":
                out |= self._call_function(callee[1:], args, kwargs, None, ctx)
            elif tag == "c":
                out |= self._instantiate(callee[1:], args, kwargs, ctx)
            elif tag == "i":
                found = self._call_dunder(callee, "__call__", args, ctx, kwargs)
                if found is not None:
                    out |= found
            elif tag == "B":
                out |= self._call_builtin(callee[1:], args, kwargs, ctx)
            elif tag == "x":
                self._edge(ctx, callee[1:], None)
                self._escape(args, kwargs)
                out |= self._call_external(callee[1:], args, kwargs, ctx)
            elif tag == "t":
                kind, _, label = callee[1:].partition("|")
                self._edge(ctx, label, None)
                method = label.rpartition(".")[2]
                result = _METHOD_RESULTS.get((kind, method))
                if result is not None:
                    out.add(result)
                elif kind in ("str", "bytes", "int", "float") and not method.startswith("is"):
                    out.add("T" + kind)
            elif tag == "q":
                out |= self._call_container_method(callee, args, kwargs, ctx)
            elif tag == OPAQUE:
                self._note(ctx, "e")
                self._escape(args, kwargs)
                out.add(OPAQUE)
            elif tag == UNKNOWN:
                out.add(UNKNOWN)
            elif tag == OBJECT_SLOT:
                self._note(ctx, "e")  # object's own __init__ and the like: a builtin
            elif tag == "h":  # globals().get(name[, default])
                out |= self._globals_get(callee[1:], args, ctx)
        return out

    def _globals_get(self, module: str, args: list, ctx: _Ctx) -> set[str]:
        self._edge(ctx, "<**PyDict**>.get", None)
        plain = [a for a in args if not isinstance(a, tuple)]
        out: set[str] = set()
        if plain:
            for key in self._keys_from(plain[0], ("globals", ctx.call, ctx.line), ctx):
                if isinstance(key, str):
                    out |= self._read((module, key), ctx)
            if len(plain) > 1:
                out |= plain[1]
        return out

    def _call_function(
        self,
        function: str,
        args: list,
        kwargs: dict,
        receiver: str | None,
        ctx: _Ctx,
    ) -> set[str]:
        """Call a function or lambda (see _call_function_now), once per evaluation for the
        same argument objects. An evaluation reads one state (its writes are buffered until
        it settles), so a second such call, as when `a + b` meets sixty classes that share
        one `__add__`, would return the same result and repeat the same edge, reads and
        writes."""
        key = (function, id(args), id(kwargs), receiver)
        made = self._calls_made.get(key)
        if made is not None:
            return made[0]
        result = self._call_function_now(function, args, kwargs, receiver, ctx)
        self._calls_made[key] = (result, args, kwargs)
        return result

    def _call_function_now(  # noqa: C901, PLR0912
        self,
        function: str,
        args: list,
        kwargs: dict,
        receiver: str | None,
        ctx: _Ctx,
    ) -> set[str]:
        """Call a function or lambda: an edge, arguments into parameters, its result.

        Parameters not given get their default. A function that returns one of its
        parameters unchanged (`return func`, `return self`) returns this call's argument,
        not every argument it was ever given (a little context sensitivity that keeps
        registering decorators and fluent interfaces precise).
        """
        record = self._functions.get(function)
        if record is None:
            found = self.definitions.get(function)
            if found is None:
                return _EMPTY
            record = self._functions[function] = _Function.of(
                function, *found, self.passthrough.get(function, ())
            )
        function = record.name
        self._edge(ctx, function, record.module)
        positional, vararg, names, kwarg, defaulted = record.signature
        given: dict[str, set[str]] = {}  # parameter -> values; never mutated (may be shared)
        spread = False
        position = 0
        if receiver is not None and positional:
            if receiver is not _BOUND:
                given[positional[0]] = {receiver}
            position = 1
        for arg in args:
            if isinstance(arg, tuple):
                spread = True
                elements = self._iterate(arg[1], ctx)
                for param in positional[position:]:
                    current = given.get(param)
                    given[param] = elements if current is None else current | elements
                if vararg is not None:
                    self._write_vararg(record, elements)
                continue
            if position < len(positional):
                param = positional[position]
                current = given.get(param)
                given[param] = arg if current is None else current | arg
            elif vararg is not None:
                self._write_vararg(record, arg)
            position += 1
        for name, values in kwargs.items():
            if name is not None:
                if name in names:
                    current = given.get(name)
                    given[name] = values if current is None else current | values
                elif kwarg is not None:
                    self._write_kwarg(function, kwarg, name, values)
                continue
            spread = True
            for container in values:
                if container[0] != "K":
                    continue
                for key in self._keys(container, ctx):
                    if not isinstance(key, str):
                        continue
                    item = self._read(("[", container, key), ctx)
                    if key in names:
                        current = given.get(key)
                        given[key] = item if current is None else current | item
                    elif kwarg is not None:
                        self._write_kwarg(function, kwarg, key, item)
        for name, values in given.items():
            self._write((function, name), values)
        for name in defaulted:
            if spread or name not in given:
                default = self._read(("{default}", function, name), ctx)
                current = given.get(name)
                given[name] = default if current is None else current | default
                self._write((function, name), default)
        if record.generator is not None:
            return {record.generator}
        result = self._read(record.returned, ctx)
        passthrough = record.passthrough
        if passthrough:
            result = set(result)
            for name in passthrough:
                result |= given.get(name) or self._read((function, name), ctx)
        return result

    def _write_kwarg(self, function: str, param: str, key: str, values: set[str]) -> None:
        site = f"K{function}#kwargs"
        self._set_kind(site, "dict")
        self._write_item(site, key, values)
        self._write(("[", site, "<keys>"), {"Tstr"})
        self._write((function, param), {site})

    def _write_vararg(self, function: _Function, values: set[str]) -> None:
        """Positional arguments beyond the named ones go into the function's one tuple."""
        kind, keys, items, param, site = function.varargs  # type: ignore[misc]
        if kind not in self.values:
            self.values[kind] = self._shared(("tuple",))
        self._write(keys, _ANY_KEY)
        self._write(items, values)
        self._write(param, site)

    def _set_kind(self, container: str, kind: str) -> None:
        """Record the builtin type of a container made here, unless it is known already."""
        key = ("{kind}", container)
        if key not in self.values:
            self.values[key] = self._shared((kind,))

    def _write_item(self, container: str, key: object, values: set[str]) -> None:
        keys = ("{keys}", container)
        known = self.values.get(keys)
        if known is None or (key not in known and UNKNOWN not in known):
            self._write(keys, (key,))  # type: ignore[arg-type]
        self._write(("[", container, key), values)

    def _call_dunder(
        self,
        receiver: str,
        dunder: str,
        args: list,
        ctx: _Ctx,
        kwargs: dict | None = None,
    ) -> set[str] | None:
        """Call `dunder` on an instance of an analyzed class; None when it has none."""
        found = self._attribute_info(receiver[1:], dunder, ctx)[1]
        if found is None:
            return None
        out: set[str] = set()
        for value in found[1]:
            kind = value[0]
            if kind == "x":
                continue
            if kind == "f":  # a plain method: what _bind then _call do, without the sets
                function = value[1:]
                self._bound(function, receiver)
                out |= self._call_function(function, args, kwargs or _NO_KWARGS, _BOUND, ctx)
            else:
                out |= self._call(self._bind(value, receiver, ctx), args, kwargs or {}, ctx)
        return out

    def _instantiate(self, cls: str, args: list, kwargs: dict, ctx: _Ctx) -> set[str]:
        instance = "i" + cls
        found_class = self.definitions.get(cls)
        if found_class is not None:
            self._edge(ctx, cls, found_class[0], instantiates=True)
        for dunder, receiver in (("__new__", "c" + cls), ("__init__", instance)):
            found = self._attribute_info(cls, dunder, ctx)[1]
            if found is None:
                continue
            for value in found[1]:
                if value[0] in ("f", "k", "s"):
                    self._call_function(value[1:], args, kwargs, receiver, ctx)
        return {instance}

    def _call_builtin(self, name: str, args: list, kwargs: dict, ctx: _Ctx) -> set[str]:  # noqa: C901, PLR0911, PLR0912
        if name == "super":
            self._edge(ctx, "<builtin>.super", None)
            return self._super(args, ctx)
        callee = self._builtin_callees.get(name)
        if callee is None:
            callee = self._builtin_callees[name] = f"<builtin>.{name}"
        self._edge(ctx, callee, None)
        plain = [a for a in args if not isinstance(a, tuple)]
        first = plain[0] if plain else _EMPTY
        dispatched: set[str] = set()
        dunder = _BUILTIN_DUNDERS.get(name)
        if dunder is not None and len(plain) == 1:
            for value in first:
                if value[0] == "i":
                    found = self._call_dunder(value, dunder, [], ctx)
                    dispatched |= found or _EMPTY
        others = {v for v in first if v[0] != "i"}
        if name == "next":
            default = plain[1] if len(plain) > 1 else _EMPTY
            return dispatched | self._iterate(others, ctx) | default
        if name in ("iter", "reversed"):
            return dispatched | self._new_container(ctx, "gen", self._iterate(others, ctx))
        if name in _CALLBACK_BUILTINS and len(plain) >= 2:
            elements = [self._iterate(p, ctx) for p in plain[1:]]
            results = self._call(plain[0], elements, {}, ctx)
            return self._new_container(ctx, "gen", results if name == "map" else elements[0])
        if name in _KEY_BUILTINS:
            elements = self._iterate(first, ctx) if len(plain) == 1 else set().union(*plain)
            if "key" in kwargs:
                self._call(kwargs["key"], [elements], {}, ctx)
            if name == "sorted":
                return self._new_container(ctx, "list", elements)
            return elements
        copying = _COPYING_BUILTINS.get(name)
        if copying is not None:
            return self._new_container(ctx, copying, self._iterate(first, ctx))
        if name == "dict":
            return self._builtin_dict(plain, kwargs, ctx)
        if name in ("enumerate", "zip"):
            pair = self._new_container(ctx, "tuple", set(), suffix="pair")
            container = next(iter(pair))
            if name == "enumerate":
                self._write_item(container, 0, {"Tint"})
                self._write_item(container, 1, self._iterate(first, ctx))
            else:
                for position, source in enumerate(plain):
                    self._write_item(container, position, self._iterate(source, ctx))
            return self._new_container(ctx, "gen", pair)
        if name in ("getattr", "setattr") and len(plain) >= 2:
            names = self._keys_from(plain[1], ("getattr", ctx.call, ctx.line), ctx)
            attrs = [a for a in names if isinstance(a, str)]
            if name == "setattr":
                if len(plain) >= 3:
                    for attr in attrs:
                        for base in first:
                            self._store_attribute(base, attr, plain[2], ctx)
                return _EMPTY
            found = set()
            for attr in attrs:
                found |= self._attributes(first, attr, ctx)
            return found | plain[2] if len(plain) >= 3 else found
        if name == "globals":
            return {"g" + ctx.module}
        if name == "type" and len(plain) == 1:
            return {"c" + v[1:] for v in first if v[0] == "i"}
        if name in ("staticmethod", "classmethod", "property"):
            return set(first)
        if name == "__import__":
            found = set()
            for literal in _literal_values(first) or ():
                if isinstance(literal, str) and literal:
                    found |= self._imported(literal.split(".")[0], ctx)
            return found
        value_type = _BUILTIN_VALUE_TYPES.get(name)
        if value_type is not None:
            return {"T" + value_type}
        if name[:1].isupper():
            return {OPAQUE}  # an exception (or warning) instance
        return dispatched

    def _builtin_dict(self, plain: list, kwargs: dict, ctx: _Ctx) -> set[str]:
        created = self._new_container(ctx, "dict", set())
        container = next(iter(created))
        for key, values in kwargs.items():
            if key is not None:
                self._write_item(container, key, values)
                self._write(("[", container, "<keys>"), {"Tstr"})
        for source in plain:
            for value in source:
                if value[0] == "K":
                    for key in self._keys(value, ctx):
                        self._write_item(container, key, self._read(("[", value, key), ctx))
        return created

    def _super(self, args: list, ctx: _Ctx) -> set[str]:
        plain = [a for a in args if not isinstance(a, tuple)]
        if len(plain) >= 2:
            classes = {v[1:] for v in plain[0] if v[0] == "c"}
            receivers = plain[1]
        else:
            scope = self.scopes.get((ctx.module, ctx.qual))
            if scope is None or scope.parent is None or not scope.params:
                return _EMPTY
            parent = self.scopes.get((ctx.module, scope.parent))
            if parent is None or parent.kind != "class":
                return _EMPTY
            classes = {_full(ctx.module, parent.qualname)}
            receivers = self._read((_full(ctx.module, ctx.qual), scope.params[0].name), ctx)
        return {
            f"S{cls}|{receiver}"
            for cls in classes
            for receiver in receivers
            if receiver[0] in ("i", "c")
        }

    def _new_container(
        self, ctx: _Ctx, kind: str, elements: set[str], suffix: str = ""
    ) -> set[str]:
        """A container made by a builtin call, one per call site."""
        site = f"c{ctx.call}" if ctx.call is not None else f"L{ctx.line}"
        name = f"K{ctx.module}#{site}{suffix}:{kind}"
        self._set_kind(name, kind)
        if elements:
            self._write_item(name, "*", elements)
        return {name}

    def _call_external(self, dotted: str, args: list, kwargs: dict, ctx: _Ctx) -> set[str]:
        if dotted in ("functools.partial",):
            plain = [a for a in args if not isinstance(a, tuple)]
            return set(plain[0]) if plain else _EMPTY
        if dotted in ("functools.reduce",):
            plain = [a for a in args if not isinstance(a, tuple)]
            if len(plain) >= 2:
                elements = self._iterate(plain[1], ctx)
                return self._call(plain[0], [elements, elements], {}, ctx)
        if dotted == "importlib.import_module":
            plain = [a for a in args if not isinstance(a, tuple)]
            found = set()
            for literal in _literal_values(plain[0] if plain else _EMPTY) or ():
                if isinstance(literal, str) and literal and not literal.startswith("."):
                    found |= self._imported(literal, ctx)
            return found or {OPAQUE}
        return {OPAQUE}

    def _container_kind(self, container: str) -> str:
        base, bang, view = container.partition("!")
        if bang:
            return "tuple" if view == "pair" else "gen"
        kinds = self.values.get(("{kind}", base))
        return min(kinds) if kinds else "list"

    def _call_container_method(self, callee: str, args: list, kwargs: dict, ctx: _Ctx) -> set[str]:  # noqa: C901, PLR0911, PLR0912
        container, _, method = callee[1:].partition("|")
        kind = self._container_kind(container)
        label = TYPE_LABELS.get(kind)
        if label and not container.count("!"):
            self._edge(ctx, f"{label}.{method}", None)
        else:
            self._note(ctx, "e")
        plain = [a for a in args if not isinstance(a, tuple)]
        if method in ("append", "add", "appendleft"):
            if plain:
                self._write_item(container, "*", plain[0])
            return _EMPTY
        if method == "insert":
            if len(plain) >= 2:
                self._write_item(container, "*", plain[1])
            return _EMPTY
        if method == "extend":
            if plain:
                self._write_item(container, "*", self._iterate(plain[0], ctx))
            return _EMPTY
        if method == "update":
            for source in plain:
                for value in source:
                    if value[0] == "K":
                        for key in self._keys(value, ctx):
                            self._write_item(container, key, self._read(("[", value, key), ctx))
            for key, values in kwargs.items():
                if key is not None:
                    self._write_item(container, key, values)
            return _EMPTY
        if method in ("get", "pop", "setdefault", "__getitem__"):
            keys = (
                self._keys_from(plain[0], ("get", ctx.call, ctx.line), ctx)
                if plain and kind == "dict"
                else [None]
            )
            found = set()
            for key in keys:
                if method == "setdefault" and len(plain) >= 2:
                    self._write_item(container, "*" if key is None else key, plain[1])
                found |= self._load_item(container, key, ctx)
            if method in ("get", "pop") and len(plain) >= 2:
                stored = self._keys(container, ctx)
                if None in keys or "*" in stored or not set(keys) <= stored:
                    found |= plain[1]  # the default, when a key may be missing
            return found
        if method == "items":
            return {container + "!items"}
        if method == "values":
            return {container + "!values"}
        if method == "keys":
            return {container + "!keys"}
        if method == "copy":
            return {container}
        if method in ("popitem",):
            return {container + "!pair"}
        return _EMPTY


_TUPLE_READERS = 8


def _more_readers(readers: int | tuple[int, ...], unit: int) -> tuple[int, ...] | set[int]:
    """`readers` (one constraint or a tuple of them, without `unit`) with `unit` added: a
    tuple while there are few, a quarter of a set's size; a set beyond `_TUPLE_READERS`."""
    if type(readers) is int:
        return (readers, unit)
    if len(readers) < _TUPLE_READERS:  # type: ignore[arg-type]
        return (*readers, unit)  # type: ignore[misc]
    return {*readers, unit}  # type: ignore[misc]


def _c3_merge(head: str, sequences: list[list[str]]) -> tuple[str, ...]:
    """C3's merge of the bases' linearizations and the list of bases (consumed), after
    `head`. An inconsistent hierarchy takes the first remaining head instead of failing."""
    result = [head]
    while True:
        sequences = [s for s in sequences if s]
        if not sequences:
            break
        for sequence in sequences:
            candidate = sequence[0]
            if not any(candidate in s[1:] for s in sequences):
                break
        else:
            candidate = sequences[0][0]
        result.append(candidate)
        for sequence in sequences:
            if sequence and sequence[0] == candidate:
                del sequence[0]
    return tuple(dict.fromkeys(result))


_EMPTY: set[str] = set()
_NO_FIELDS: frozenset[str] = frozenset()  # what most (class, attribute) entries find
_ANY_KEY = frozenset({"*"})  # the keys of a container whose elements have no known position
_NO_KWARGS: dict[str, set[str]] = {}  # never written to
_BOUND = "<bound>"  # a receiver already written into the method's first parameter


def _depend(dependents: dict[object, Any], location: object, entry: tuple[str, str]) -> None:
    """Record that attribute entry `entry` read `location` (one entry, or a set of them)."""
    current = dependents.get(location)
    if current is None:
        dependents[location] = entry
    elif type(current) is set:
        current.add(entry)
    elif current != entry:
        dependents[location] = {current, entry}


def _passthrough_params(scope: FlowScope) -> tuple[str, ...]:
    """Parameters the function returns as they came (`return func`), never reassigned."""
    params = {p.name for p in scope.params if p.kind in ("pos", "posonly", "kwonly")}
    returned = {r[1] for r in scope.returns if r[0] == "n" and r[1] in params}
    if not returned:
        return ()
    assigned = set()
    for target, _value, _line in scope.assigns:
        stack = [target]
        while stack:
            item = stack.pop()
            if item[0] == "n":
                assigned.add(item[1])
            elif item[0] == "t":
                stack.extend(item[1])
            elif item[0] == "*":
                stack.append(item[1])
    return tuple(sorted(returned - assigned))


def _literal_values(values: set[str]) -> list[object] | None:
    """The constants a value set holds, if it holds nothing else (sorted), else None."""
    if not values:
        return None
    found: list[object] = []
    for value in values:
        if value.startswith("vs:"):
            found.append(value[3:])
        elif value.startswith("vi:"):
            found.append(int(value[3:]))
        else:
            return None
    return sorted(found, key=repr)


def _widened(value: str) -> str:
    tag = value[0]
    if tag == "x":
        return OPAQUE
    if tag != "v":
        return value
    return "Tstr" if value[1] == "s" else "Tint"


def _concatenations(parts: list[set[str]]) -> set[str]:
    """Constant strings joined: every combination of the parts' constants, or a str when a
    part is not a constant or there would be too many."""
    results = [""]
    for values in parts:
        constants = _literal_values(values)
        if constants is None or any(not isinstance(c, str) for c in constants):
            return {"Tstr"}
        results = [r + c for r in results for c in constants]  # type: ignore[operator]
        if len(results) > MAX_LITERALS:
            return {"Tstr"}
    return {"vs:" + r for r in results}
