"""What the wiring recognizers and the data signal ask of the code, answered from the facts.

`CodeIndex` wraps the resolved imports and the call graph's class ancestry and answers:
the dotted path a call's callee names (`apps.get_model` -> `django.apps.apps.get_model`),
the literal strings of a call's arguments, the module or symbol a dotted string names, and
every call and string literal of a module. It reads facts only; it never sees syntax trees.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from analyzer.facts import ModuleFacts
from analyzer.flow import Expr, FlowCall, FlowScope
from analyzer.imports import ImportGraph, ModuleIndex, absolute_base, resolve_symbol


@dataclass(frozen=True)
class CallView:
    """One call of a module, as recognizers see it.

    `path`: the callee's dotted name resolved through the module's imports and definitions
    (`relationship`, `sqlalchemy.orm.relationship`, `oscar.core.loading.get_model`), None when
    the callee is no plain name or attribute chain. `name`: its last part. `args` and `kwargs`
    are the literal string of each argument, None where it is not one. `binds`: the
    module-level name the call's result is assigned to (`Product = get_model(...)`).
    """

    module: str
    scope: str
    line: int
    path: str | None
    name: str | None
    args: tuple[str | None, ...]
    kwargs: Mapping[str, str | None]
    arg_exprs: tuple[Expr, ...]
    kwarg_exprs: Mapping[str, Expr]
    binds: str | None = None


def literal_string(expr: Expr) -> str | None:
    """The value of a string literal expression, None for anything else."""
    if expr and expr[0] == "T" and expr[1] == "str" and len(expr) > 2:
        value = expr[2]
        return value if isinstance(value, str) else None
    return None


def expression_path(expr: Expr) -> tuple[str, ...] | None:
    """`a.b.c` as ("a", "b", "c"); None when the expression is not a plain chain."""
    parts: list[str] = []
    while expr and expr[0] == "a":
        parts.append(expr[2])
        expr = expr[1]
    if not expr or expr[0] != "n":
        return None
    parts.append(expr[1])
    return tuple(reversed(parts))


def iter_strings(expr: object) -> Iterator[str]:
    """Every string literal inside an expression of the flow IR, in source order."""
    found: list[str] = []
    _add_strings(expr, found)
    return iter(found)


def _add_strings(expr: object, found: list[str]) -> None:
    # Appends to one list instead of chaining generators: on sympy's 1,500 modules the
    # nested `yield from` took 3.2 s over 2.8 million calls.
    if not isinstance(expr, tuple) or not expr:
        return
    head = expr[0]
    if head == "T":
        value = literal_string(expr)
        if value is not None:
            found.append(value)
        return
    # an expression is tagged by a string; a plain tuple of expressions (a list display's
    # elements, a dict's items) is not, and its first element counts too
    for part in expr[1:] if isinstance(head, str) else expr:
        if isinstance(part, tuple) and part:
            _add_strings(part, found)


class CodeIndex:
    """Name and string resolution over the whole project (built once, read by every signal)."""

    def __init__(
        self, imports: ImportGraph, classes: Mapping[str, tuple[str, ...]] | None = None
    ) -> None:
        self.imports = imports
        self.index: ModuleIndex = imports.index
        self.facts: Mapping[str, ModuleFacts] = imports.index.facts
        self.classes: Mapping[str, tuple[str, ...]] = classes or {}
        self._class_scopes: dict[str, dict[str, FlowScope]] = {}
        self._calls: dict[str, list[CallView]] = {}
        self._names: dict[tuple[str, str], str] = {}

    @property
    def modules(self) -> list[str]:
        return sorted(self.facts)

    # -- names

    def resolve_name(self, module: str, name: str) -> str:
        """The dotted path a module-level name refers to: an import's target (followed
        through re-exports), a definition of the module, else `module.name` (remembered:
        the calls of a module name the same few callees again and again)."""
        key = (module, name)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = self._resolve_name(module, name)
        return found

    def _resolve_name(self, module: str, name: str) -> str:
        binding = self.index.module_bindings(module).get(name)
        if binding is None:
            return f"{module}.{name}"
        facts = self.facts[module]
        base = absolute_base(module, facts.is_package, binding)
        if base is None:
            return name
        if binding.name is None:
            return base if binding.alias else binding.bound_module
        if base.split(".")[0] in self.index.top_level:
            return resolve_symbol(self.index, base, binding.name)
        return f"{base}.{binding.name}"

    def resolve_path(self, module: str, parts: tuple[str, ...]) -> str:
        head = self.resolve_name(module, parts[0])
        return ".".join((head, *parts[1:]))

    def module_of(self, dotted: str) -> str | None:
        """The analyzed module a dotted path is inside of (longest prefix), if any."""
        return self.index.longest_internal_prefix(dotted)

    def resolve_dotted_string(self, text: str) -> str | None:
        """A dotted string naming an analyzed module or something defined in one
        (`"shop.orders.urls"`, `"shop.orders.models.Order"`), as a resolved path."""
        if "." not in text or not all(p.isidentifier() for p in text.split(".")):
            return None
        if text in self.facts:
            return text
        module = self.module_of(text)
        if module is None:
            return None
        rest = text[len(module) + 1 :].split(".")
        if rest[0] not in self.index.defined_names(module) and not self.index.module_bindings(
            module
        ).get(rest[0]):
            return None
        return ".".join((resolve_symbol(self.index, module, rest[0]), *rest[1:]))

    @cached_property
    def _module_suffixes(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for module in self.facts:
            parts = module.split(".")
            for start in range(len(parts)):
                found.setdefault(".".join(parts[start:]), []).append(module)
        return found

    def module_by_suffix(self, text: str) -> str | None:
        """The module a relative dotted path names (`"catalogue.models"` ->
        `oscar.apps.catalogue.models`): an exact name first, else the shortest module whose
        name ends with it (fewest parts, then alphabetical)."""
        if text in self.facts:
            return text
        candidates = self._module_suffixes.get(text)
        if not candidates:
            return None
        return min(candidates, key=lambda m: (m.count("."), m))

    # -- calls and strings

    def calls(self, module: str) -> Iterator[CallView]:
        """Every call of a module, with its callee's dotted path and literal arguments (built
        once per module: every recognizer walks them)."""
        views = self._calls.get(module)
        if views is None:
            facts = self.facts[module]
            flow = facts.flow
            binds = self._call_bindings(facts)
            views = self._calls[module] = (
                [
                    self._view(module, number, call, binds.get(number))
                    for number, call in enumerate(flow.calls)
                ]
                if flow is not None
                else []
            )
        return iter(views)

    def _view(self, module: str, number: int, call: FlowCall, binds: str | None) -> CallView:
        parts = expression_path(call.func)
        path = self.resolve_path(module, parts) if parts is not None else None
        if parts is None and call.func and call.func[0] == "a":
            name: str | None = call.func[2]
        else:
            name = parts[-1] if parts else None
        kwargs = {k: literal_string(v) for k, v in call.kwargs if k is not None}
        return CallView(
            module=module,
            scope=call.scope,
            line=call.line,
            path=path,
            name=name,
            args=tuple(literal_string(a) for a in call.args),
            kwargs=kwargs,
            arg_exprs=call.args,
            kwarg_exprs={k: v for k, v in call.kwargs if k is not None},
            binds=binds,
        )

    @staticmethod
    def _call_bindings(facts: ModuleFacts) -> dict[int, str]:
        """Call number -> the name its result is assigned to, at module level or inside a
        function (`Order = apps.get_model("shop", "Order")` in a view): names are looked up
        module-wide afterwards, a module-level assignment winning over a local one."""
        found: dict[int, str] = {}
        if facts.flow is None or not facts.flow.scopes:
            return found
        scopes = (*facts.flow.scopes[1:], facts.flow.scopes[0])
        for scope in scopes:
            for target, value, _line in scope.assigns:
                if target[0] == "n" and value and value[0] == "c":
                    found[value[1]] = target[1]
                elif target[0] == "t" and value and value[0] == "c":
                    found[value[1]] = ",".join(
                        t[1] if t[0] == "n" else "" for t in target[1]
                    )  # `A, B = get_classes(...)`
        return found

    def strings(self, module: str) -> Iterator[tuple[str, int]]:
        """Every string literal the flow facts kept in a module (short literals only), with
        the line of the statement it is in."""
        flow = self.facts[module].flow
        if flow is None:
            return
        for scope in flow.scopes:
            for _target, value, line in scope.assigns:
                for text in iter_strings(value):
                    yield text, line
            for expr, line in scope.effects:
                for text in iter_strings(expr):
                    yield text, line
            for number, expr in enumerate(scope.returns):
                line = scope.return_lines[number] if number < len(scope.return_lines) else 0
                for text in iter_strings(expr):
                    yield text, line
        for call in flow.calls:
            for expr in (*call.args, *(v for _, v in call.kwargs)):
                for text in iter_strings(expr):
                    yield text, call.line

    # -- classes

    def ancestors(self, cls: str) -> tuple[str, ...]:
        """A class's ancestors in MRO order (itself first), () when it is not known."""
        return self.classes.get(cls, ())

    def is_subclass_of(self, cls: str, bases: frozenset[str]) -> bool:
        return any(a in bases for a in self.ancestors(cls)[1:])

    def class_module(self, cls: str) -> str | None:
        return self.module_of(cls)

    def class_assign(self, cls: str, name: str) -> Expr | None:
        """The value a class body assigns to `name` (`db_table = "x"`, `label = "x"`), for a
        class given by full name; nested classes too (`pkg.mod.Product.Meta`)."""
        module = self.module_of(cls)
        if module is None or cls == module:
            return None
        qualname = cls[len(module) + 1 :]
        scopes = self._class_scopes.get(module)
        if scopes is None:
            flow = self.facts[module].flow
            scopes = self._class_scopes[module] = {
                s.qualname: s for s in (flow.scopes if flow else ()) if s.kind == "class"
            }
        scope = scopes.get(qualname)
        if scope is None:
            return None
        found = None
        for target, value, _line in scope.assigns:
            if target == ("n", name):
                found = value
        return found
