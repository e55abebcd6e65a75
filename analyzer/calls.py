"""The project's call graph: internal calls for coupling, every call for the callgraph output.

Resolution itself is the points-to analysis in analyzer.points_to; this module holds its
result as plain data and the views the later stages read: the function graph, call counts
between modules, the adjacency format of `monocut callgraph` (see docs/callgraph-format.md),
and class inheritance between modules.
"""

from __future__ import annotations

import functools
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field
from typing import Any

import networkx as nx

from analyzer.compiled_solver import solver_class
from analyzer.imports import ImportGraph
from analyzer.points_to import Edge, SiteCounts


@dataclass(frozen=True, slots=True)
class ResolvedCall:
    """A call from `caller` (a module, or `module.qualname`) to an internal `callee`."""

    caller_module: str
    caller: str
    callee_module: str
    callee: str
    line: int
    #: The callee is a class being instantiated; its `__init__`, if any, is a call of its own.
    #: Such entries count for coupling and service APIs but are not edges of the call graph.
    instantiates: bool = False

    def __reduce__(self) -> tuple[type[ResolvedCall], tuple[str, str, str, str, int, bool]]:
        # Pickled as constructor arguments: 3x faster to load than a frozen slotted
        # dataclass's default state (the call graph cache holds 600,000 of them on sympy).
        return (
            ResolvedCall,
            (
                self.caller_module,
                self.caller,
                self.callee_module,
                self.callee,
                self.line,
                self.instantiates,
            ),
        )


@dataclass(frozen=True, slots=True)
class ExternalCall:
    """A call to a builtin (`<builtin>.len`), a builtin-type method (`<**PyStr**>.join`) or
    a name from outside the analyzed tree, by its import path (`requests.get`)."""

    caller_module: str
    caller: str
    callee: str
    line: int

    def __reduce__(self) -> tuple[type[ExternalCall], tuple[str, str, str, int]]:
        return (ExternalCall, (self.caller_module, self.caller, self.callee, self.line))


@dataclass(frozen=True)
class PackedCalls:
    """ResolvedCalls as columns: a table of the names they use and one int array per field.

    A project has hundreds of thousands of internal calls (about 600,000 on sympy); as
    objects they took 0.45-0.64 s to unpickle from a cache, as columns a few milliseconds.
    The objects are built when first asked for (`CallGraph.calls`).
    """

    names: tuple[str, ...]
    caller_modules: array
    callers: array
    callee_modules: array
    callees: array
    lines: array
    instantiates: array

    @staticmethod
    def pack(calls: Iterable[ResolvedCall | Edge]) -> PackedCalls:
        """The columns of `calls` (ResolvedCalls, or the solver's internal edges, which
        have the same fields), in their order; names numbered as they first appear."""
        numbers: dict[str, int] = {}

        def number(name: str) -> int:
            return numbers.setdefault(name, len(numbers))

        columns: tuple[list[int], ...] = ([], [], [], [], [], [])
        for call in calls:
            columns[0].append(number(call.caller_module))
            columns[1].append(number(call.caller))
            columns[2].append(number(call.callee_module))
            columns[3].append(number(call.callee))
            columns[4].append(call.line)
            columns[5].append(call.instantiates)
        return PackedCalls(tuple(numbers), *(array("i", column) for column in columns))

    def unpack(self) -> tuple[ResolvedCall, ...]:
        name = self.names.__getitem__
        return tuple(
            map(
                ResolvedCall,
                map(name, self.caller_modules),
                map(name, self.callers),
                map(name, self.callee_modules),
                map(name, self.callees),
                self.lines,
                map(bool, self.instantiates),
            )
        )

    def __len__(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class CallGraph:
    """Every resolved call (one entry per caller, callee and line) and how call sites fared.

    The internal calls are kept packed (`PackedCalls`) and unpacked on first use of `calls`,
    so that a cached call graph loads fast when only its summaries are needed.
    """

    packed_calls: PackedCalls = field(repr=False)
    external_calls: tuple[ExternalCall, ...]
    modules: tuple[str, ...]
    sites: SiteCounts
    entries: tuple[str, ...] = ()  # see analyzer.points_to.PointsToResult.entries
    #: class full name -> its ancestors, itself first (see PointsToResult.classes)
    classes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def calls(self) -> tuple[ResolvedCall, ...]:
        """Every internal call, in the order the solver found them."""
        return self.packed_calls.unpack()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("calls", None)  # unpacked again from `packed_calls` when used
        return state

    @property
    def external(self) -> int:
        """Call sites that reach only builtins or code outside the analyzed tree."""
        return self.sites.external

    @property
    def unresolved(self) -> int:
        """Call sites whose target stayed unknown."""
        return self.sites.unresolved

    @property
    def total(self) -> int:
        return self.sites.total

    def function_graph(self) -> nx.DiGraph:
        """caller -> internal callee, edge attribute `count` = number of call lines."""
        graph = nx.DiGraph()
        for call, count in sorted(Counter((c.caller, c.callee) for c in self.calls).items()):
            graph.add_edge(*call, count=count)
        return graph

    def module_call_counts(self) -> dict[tuple[str, str], int]:
        """(caller module, callee module) -> calls (distinct caller, callee, line), for
        modules that differ. Counted on the packed columns: no call objects are built."""
        packed = self.packed_calls
        pairs = Counter(zip(packed.caller_modules, packed.callee_modules, strict=True))
        names = packed.names
        counts = {
            (names[caller], names[callee]): count
            for (caller, callee), count in pairs.items()
            if caller != callee
        }
        return dict(sorted(counts.items()))

    def reached(self) -> set[str]:
        """Modules, entry functions, and every function they call, transitively."""
        callees: dict[str, set[str]] = {}
        for call in self.calls:
            callees.setdefault(call.caller, set()).add(call.callee)
        seen = set(self.modules) | set(self.entries)
        stack = list(seen)
        while stack:
            for callee in callees.get(stack.pop(), ()):
                if callee not in seen:
                    seen.add(callee)
                    stack.append(callee)
        return seen

    def adjacency(self, reached_only: bool = True) -> dict[str, list[str]]:
        """The `{"caller": ["callee", ...]}` format (docs/callgraph-format.md): every module
        and every reached function is a key; builtins and external names are only callees.

        A function is reached when a module or an entry (see `entries`) calls it, directly
        or not; with `reached_only=False`, every analyzed function's calls are included.
        """
        reached = self.reached() if reached_only else None
        graph: dict[str, set[str]] = {module: set() for module in self.modules}
        for call in self.calls:
            if reached is not None and call.caller not in reached:
                continue
            graph.setdefault(call.caller, set())
            if not call.instantiates:
                graph[call.caller].add(call.callee)
                graph.setdefault(call.callee, set())
        for external in self.external_calls:
            if reached is None or external.caller in reached:
                graph.setdefault(external.caller, set()).add(external.callee)
        return {key: sorted(graph[key]) for key in sorted(graph)}


def build_call_graph(imports: ImportGraph) -> tuple[CallGraph, dict[tuple[str, str], int]]:
    """Resolve every call of the project; also (subclass module, base module) -> classes."""
    result = solver_class()(imports).solve()
    internal = [edge for edge in result.edges if edge.callee_module is not None]
    external = [
        ExternalCall(edge.caller_module, edge.caller, edge.callee, edge.line)
        for edge in result.edges
        if edge.callee_module is None
    ]
    graph = CallGraph(
        PackedCalls.pack(internal),
        tuple(external),
        result.modules,
        SiteCounts(*astuple(result.sites)),  # this module's class, whichever solver ran
        result.entries,
        dict(result.classes),
    )
    return graph, dict(result.inheritance)
