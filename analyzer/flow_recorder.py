"""Builds a module's FlowFacts (see analyzer.flow) from libcst nodes, driven by the parse pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from analyzer.flow import (
    AUGMENTED,
    BINARY,
    COMPARE,
    NOTHING,
    UNARY,
    Expr,
    FlowCall,
    FlowFacts,
    FlowScope,
    Param,
)


@dataclass
class _OpenScope:
    qualname: str
    kind: str
    parent: str | None
    line: int
    params: tuple[Param, ...] = ()
    decorators: tuple[Expr, ...] = ()
    bases: tuple[Expr, ...] = ()
    returns_hint: Expr | None = None
    is_async: bool = False
    is_generator: bool = False
    local_names: set[str] = field(default_factory=set)
    global_names: tuple[str, ...] = ()
    declared: set[str] = field(default_factory=set)
    assigns: list[tuple[Expr, Expr, int]] = field(default_factory=list)
    returns: list[Expr] = field(default_factory=list)
    yields: list[Expr] = field(default_factory=list)
    effects: list[tuple[Expr, int]] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    lambdas: int = 0
    binding: tuple[_OpenScope, int] | None = None  # (parent, index of the def's assignment)
    lambda_params: set[str] = field(default_factory=set)  # of lambdas inside this function
    return_lines: list[int] = field(default_factory=list)
    yield_lines: list[int] = field(default_factory=list)
    # Per open block of this scope, the conditions known to hold inside it: (test, outcome).
    blocks: list[list[tuple[Expr, bool]]] = field(default_factory=list)

    def freeze(self) -> FlowScope:
        return FlowScope(
            qualname=self.qualname,
            kind=self.kind,
            parent=self.parent,
            line=self.line,
            params=self.params,
            decorators=self.decorators,
            bases=self.bases,
            returns_hint=self.returns_hint,
            is_generator=self.is_generator,
            is_async=self.is_async,
            local_names=tuple(sorted(self.local_names - self.declared - set(self.global_names))),
            global_names=self.global_names,
            assigns=tuple(self.assigns),
            returns=tuple(self.returns),
            yields=tuple(self.yields),
            return_lines=tuple(self.return_lines),
            yield_lines=tuple(self.yield_lines),
            effects=tuple(self.effects),
            calls=tuple(self.calls),
        )


#: String literals longer than this are not kept as values (keys and attribute names are short).
_MAX_LITERAL = 80


def _literal_key(node: cst.BaseExpression) -> int | str | None:
    # type() rather than isinstance: libcst's node classes are ABCs, whose checks are slow
    if type(node) is cst.Integer:
        try:
            return int(node.value, 0)  # what `literal_eval` gives, without compiling
        except ValueError:
            pass
        try:
            return int(node.evaluated_value)
        except (ValueError, TypeError):
            return None
    if (
        type(node) is cst.UnaryOperation
        and type(node.operator) is cst.Minus
        and type(node.expression) is cst.Integer
    ):
        key = _literal_key(node.expression)
        return -key if isinstance(key, int) else None
    if type(node) is cst.SimpleString or type(node) is cst.ConcatenatedString:
        try:
            value = string_value(node)
        except Exception:  # noqa: BLE001 - an odd literal is just not a known key
            return None
        return value if isinstance(value, str) else None
    return None


def _prefix(value: str) -> str:
    """A string literal's prefix, as `SimpleString.prefix` gives it (lower case)."""
    single = value.find("'")
    double = value.find('"')
    end = single if double < 0 or 0 <= single < double else double
    return value[: end if end >= 0 else len(value)].lower()


def string_value(node: cst.SimpleString | cst.ConcatenatedString) -> str | bytes | None:
    """`node.evaluated_value`, which compiles each literal (`ast.literal_eval`): a str
    literal without backslashes or carriage returns, whose value is its text between the
    quotes, is read directly."""
    if type(node) is cst.SimpleString:
        value = node.value
        if "\\" not in value and "\r" not in value:
            prefix = _prefix(value)
            if prefix in _PLAIN_PREFIXES:
                text = value[len(prefix) :]
                if text[:3] in ('"""', "'''") and len(text) >= 6:
                    return text[3:-3]
                return text[1:-1]
        return node.evaluated_value
    if type(node) is cst.ConcatenatedString:  # as ConcatenatedString.evaluated_value
        left, right = node.left, node.right
        if isinstance(left, cst.FormattedString) or isinstance(right, cst.FormattedString):
            return None
        left_value = string_value(left)  # type: ignore[arg-type]
        right_value = string_value(right)  # type: ignore[arg-type]
        if right_value is None:
            return None
        if isinstance(left_value, bytes) and isinstance(right_value, bytes):
            return left_value + right_value
        if isinstance(left_value, str) and isinstance(right_value, str):
            return left_value + right_value
        return None
    return node.evaluated_value


#: Prefixes with which a literal without backslashes is the text between its quotes.
_PLAIN_PREFIXES = frozenset({"", "r", "u"})


_LEAVING = (cst.Return, cst.Raise, cst.Continue, cst.Break)


def _always_leaves(body: cst.BaseSuite) -> bool:
    """Whether a block ends in return, raise, continue or break."""
    statements = body.body
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        small = last.body
        return bool(small) and isinstance(
            small[-1], cst.Return | cst.Raise | cst.Continue | cst.Break
        )
    return isinstance(last, _LEAVING)


def _string_type(node: cst.SimpleString) -> str:
    return "bytes" if "b" in _prefix(node.value) else "str"


class FlowRecorder:
    """Builds a module's FlowFacts; driven by the parse visitor as it enters and leaves scopes.

    Calls get their index when first met, either while converting an enclosing expression or
    when the visitor reaches them, so each call is recorded once and an expression that uses
    a call's result refers to it by index. Lambdas likewise get their `<lambdaN>` name when
    first met, in source order.
    """

    def __init__(self) -> None:
        module = _OpenScope("", "module", None, 1)
        self._stack: list[_OpenScope] = [module]
        self._done: list[_OpenScope] = [module]
        self._calls: list[FlowCall | None] = []
        self._call_scopes: list[str] = []
        self._call_index: dict[int, int] = {}
        self._lambda_names: dict[int, str] = {}
        self._defined: dict[str, int] = {}
        self._referenced: set[str] = set()
        self._branch_tests: dict[int, Expr] = {}
        self._pending_guards: dict[int, tuple[Expr, bool]] = {}
        self._sites = 0

    # -- scopes

    @property
    def scope(self) -> _OpenScope:
        return self._stack[-1]

    def _child_name(self, name: str) -> str:
        parent = self.scope.qualname
        return f"{parent}.{name}" if parent else name

    def define(self, node: cst.FunctionDef | cst.ClassDef, line: int) -> _OpenScope:
        """Record a def or class statement in the current scope; returns its (unentered)
        scope, to be passed to `enter` when the visitor reaches its body.

        A name defined twice in one scope (a property's setter, a conditional def) gets a
        distinct scope qualname, `name#2`; FlowScope.display_name drops the suffix.
        """
        current = self.scope
        decorators = tuple(self.expr(d.decorator) for d in node.decorators)
        name = node.name.value
        qualname = self._child_name(name)
        if qualname in self._defined:
            self._defined[qualname] += 1
            qualname = f"{qualname}#{self._defined[qualname]}"
        else:
            self._defined[qualname] = 1
        current.local_names.add(name)
        binding = (current, len(current.assigns))
        current.assigns.append((("n", name), ("F", qualname), line))
        if isinstance(node, cst.ClassDef):
            bases = tuple(self.expr(arg.value) for arg in node.bases if not arg.keyword)
            return _OpenScope(
                qualname,
                "class",
                current.qualname,
                line,
                decorators=decorators,
                bases=bases,
                binding=binding,
            )
        params = self._params(node.params)
        returns = self.hint(node.returns.annotation) if node.returns is not None else None
        return _OpenScope(
            qualname,
            "function",
            current.qualname,
            line,
            params=params,
            decorators=decorators,
            returns_hint=returns,
            is_async=node.asynchronous is not None,
            local_names={p.name for p in params},
            binding=binding,
        )

    def enter(self, scope: _OpenScope, line: int | None = None) -> None:
        """Open a scope; a def or class gets its `def`/`class` line (the parse pass knows it
        only once it reaches the name), which its binding in the parent also takes."""
        if line is not None:
            scope.line = line
            if scope.binding is not None:
                parent, index = scope.binding
                target, value, _ = parent.assigns[index]
                parent.assigns[index] = (target, value, line)
        self._stack.append(scope)
        self._done.append(scope)

    def leave(self, local_names: set[str] | None = None, declared: set[str] | None = None) -> None:
        """Close the current scope; `declared` are its `global` and `nonlocal` names."""
        scope = self._stack.pop()
        if local_names is not None:
            # The parse pass counts lambda parameters as the function's own names; they
            # are the lambda's (the recorder has the function's own assignments already).
            scope.local_names |= local_names - scope.lambda_params
        if declared:
            scope.declared |= declared

    def declare_global(self, names: list[str]) -> None:
        self.scope.global_names = tuple(sorted({*self.scope.global_names, *names}))

    def enter_lambda(self, node: cst.Lambda, line: int) -> None:
        qualname = self._lambda_name(node)
        params = self._params(node.params)
        scope = _OpenScope(
            qualname,
            "lambda",
            self.scope.qualname,
            line,
            params=params,
            local_names={p.name for p in params},
        )
        for enclosing in reversed(self._stack):
            if enclosing.kind == "function":
                enclosing.lambda_params |= {p.name for p in params}
                break
        self.enter(scope)
        scope.returns.append(self.expr(node.body))
        scope.return_lines.append(line)

    def _lambda_name(self, node: cst.Lambda) -> str:
        name = self._lambda_names.get(id(node))
        if name is None:
            self.scope.lambdas += 1
            name = self._child_name(f"<lambda{self.scope.lambdas}>")
            self._lambda_names[id(node)] = name
        return name

    def _params(self, params: cst.Parameters) -> tuple[Param, ...]:
        out: list[Param] = []

        def add(param: cst.Param, kind: str) -> None:
            default = self.expr(param.default) if param.default is not None else None
            annotation = (
                self.hint(param.annotation.annotation) if param.annotation is not None else None
            )
            out.append(Param(param.name.value, kind, default, annotation))

        for param in params.posonly_params:
            add(param, "posonly")
        for param in params.params:
            add(param, "pos")
        if isinstance(params.star_arg, cst.Param):
            add(params.star_arg, "vararg")
        for param in params.kwonly_params:
            add(param, "kwonly")
        if params.star_kwarg is not None:
            add(params.star_kwarg, "kwarg")
        return tuple(out)

    # -- statements

    def assign(self, target: cst.BaseExpression, value: Expr, line: int) -> None:
        converted = self.target(target)
        self.scope.assigns.append((converted, value, line))
        self._bind_names(converted)

    def _bind_names(self, target: Expr) -> None:
        tag = target[0]
        if tag == "n":
            self.scope.local_names.add(target[1])
        elif tag == "t":
            for element in target[1]:
                self._bind_names(element)
        elif tag == "*":
            self._bind_names(target[1])

    def effect(self, node: cst.BaseExpression, line: int) -> None:
        self.scope.effects.append((self.expr(node), line))

    def effect_expr(self, expr: Expr, line: int) -> None:
        self.scope.effects.append((expr, line))

    def returned(self, node: cst.BaseExpression | None, line: int) -> None:
        if node is None:
            return
        value = self.expr(node)
        guards = tuple(guard for block in self.scope.blocks for guard in block)
        self.scope.returns.append(("guard", guards, value) if guards else value)
        self.scope.return_lines.append(line)

    # -- conditions: a return under `if fmt == "md":` (or after one that always returns)
    #    records the condition, so constant arguments can rule the return out.

    def branch(self, node: cst.If, line: int) -> None:
        test = self.expr(node.test)
        self.scope.effects.append((test, line))
        self._branch_tests[id(node)] = test
        self._pending_guards[id(node.body)] = (test, True)
        if isinstance(node.orelse, cst.Else):
            self._pending_guards[id(node.orelse.body)] = (test, False)

    def after_branch(self, node: cst.If) -> None:
        test = self._branch_tests.pop(id(node), None)
        if test is None or node.orelse is not None or not self.scope.blocks:
            return
        if _always_leaves(node.body):
            self.scope.blocks[-1].append((test, False))

    def enter_block(self, node: cst.BaseSuite) -> None:
        guard = self._pending_guards.pop(id(node), None)
        self.scope.blocks.append([guard] if guard is not None else [])

    def leave_block(self) -> None:
        if self.scope.blocks:
            self.scope.blocks.pop()

    def yielded(self, node: cst.Yield, line: int) -> None:
        scope = self._function_scope()
        if scope is None:
            return
        scope.is_generator = True
        value = node.value
        if isinstance(value, cst.From):
            scope.yields.append(("it", self.expr(value.item)))
        elif value is not None:
            scope.yields.append(self.expr(value))
        else:
            return
        scope.yield_lines.append(line)

    def _function_scope(self) -> _OpenScope | None:
        scope = self.scope
        return scope if scope.kind in ("function", "lambda") else None

    def call(self, node: cst.Call, line: int) -> None:
        """The visitor reached a call: give it its line (and an index if it has none)."""
        index = self._register(node)
        call = self._calls[index]
        assert call is not None
        if call.line != line:
            self._calls[index] = FlowCall(call.scope, call.func, call.args, call.kwargs, line)

    def _register(self, node: cst.Call) -> int:
        index = self._call_index.get(id(node))
        if index is not None:
            return index
        index = len(self._calls)
        self._call_index[id(node)] = index
        self._calls.append(None)
        scope = self.scope
        scope.calls.append(index)
        args: list[Expr] = []
        kwargs: list[tuple[str | None, Expr]] = []
        for arg in node.args:
            value = self.expr(arg.value)
            if arg.keyword is not None:
                kwargs.append((arg.keyword.value, value))
            elif arg.star == "**":
                kwargs.append((None, value))
            elif arg.star == "*":
                args.append(("*", value))
            else:
                args.append(value)
        self._calls[index] = FlowCall(
            scope.qualname, self.expr(node.func), tuple(args), tuple(kwargs), 0
        )
        return index

    # -- expressions

    def _site(self) -> int:
        self._sites += 1
        return self._sites

    def hint(self, node: cst.BaseExpression) -> Expr:
        """A type annotation as an instance of the classes it names (strings are parsed)."""
        if isinstance(node, cst.SimpleString):
            try:
                text = string_value(node)
            except Exception:  # noqa: BLE001 - an odd literal is no hint
                return NOTHING
            if not isinstance(text, str):
                return NOTHING
            try:
                node = cst.parse_expression(text.strip())
            except Exception:  # noqa: BLE001 - not an expression: no hint
                return NOTHING
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return ("o", (self.hint(node.left), self.hint(node.right)))
        if isinstance(node, cst.Subscript):
            base = node.value
            name = base.attr.value if isinstance(base, cst.Attribute) else None
            if isinstance(base, cst.Name):
                name = base.value
            if name in ("Optional", "Union", "Annotated", "Final", "ClassVar"):
                elements = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
                if name in ("Annotated", "Final", "ClassVar"):
                    elements = elements[:1]
                return ("o", tuple(self.hint(e) for e in elements))
            return NOTHING
        if isinstance(node, cst.Name | cst.Attribute):
            if isinstance(node, cst.Name) and node.value == "None":
                return NOTHING
            return ("ins", self.expr(node))
        return NOTHING

    def target(self, node: cst.BaseExpression) -> Expr:
        if isinstance(node, cst.Name):
            return ("n", node.value)
        if isinstance(node, cst.Attribute):
            return ("a", self.expr(node.value), node.attr.value)
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, cst.Tuple | cst.List):
            return (
                "t",
                tuple(
                    self.target(e.value)
                    if not isinstance(e, cst.StarredElement)
                    else ("*", self.target(e.value))
                    for e in node.elements
                ),
            )
        if isinstance(node, cst.StarredElement):
            return ("*", self.target(node.value))
        return NOTHING

    def _subscript(self, node: cst.Subscript) -> Expr:
        """("s", base, key) with a literal key, a slice (":", lower, upper) with literal
        int bounds (None when absent or computed), or ("s", base, None, key_expr)."""
        base = self.expr(node.value)
        if len(node.slice) != 1:
            for element in node.slice:
                if isinstance(element.slice, cst.Index):
                    self.expr(element.slice.value)
            return ("s", base, None)
        element = node.slice[0].slice
        if isinstance(element, cst.Slice):
            bounds = []
            for bound in (element.lower, element.upper):
                value = _literal_key(bound) if bound is not None else None
                if bound is not None and not isinstance(value, int):
                    self.expr(bound)
                bounds.append(value if isinstance(value, int) else None)
            if element.step is not None:
                self.expr(element.step)
                return ("s", base, (":", None, None))
            return ("s", base, (":", bounds[0], bounds[1]))
        if isinstance(element, cst.Index):
            key = _literal_key(element.value)
            if key is not None:
                return ("s", base, key)
            return ("s", base, None, self.expr(element.value))
        return ("s", base, None)

    def expr(self, node: cst.BaseExpression) -> Expr:
        """Convert an expression; calls and lambdas inside it get their index and name."""
        convert = _CONVERT.get(node.__class__)
        if convert is None:
            convert = _converter(node.__class__)
        return convert(self, node)

    def _name(self, node: cst.Name) -> Expr:
        value = node.value
        if value in ("None", "True", "False"):
            return ("T", "bool") if value != "None" else NOTHING
        self._referenced.add(value)
        return ("n", value)

    def _attribute(self, node: cst.Attribute) -> Expr:
        self._referenced.add(node.attr.value)
        return ("a", self.expr(node.value), node.attr.value)

    def _call(self, node: cst.Call) -> Expr:
        return ("c", self._register(node))

    def _simple_string(self, node: cst.SimpleString) -> Expr:
        kind = _string_type(node)
        if kind == "str" and len(node.value) <= _MAX_LITERAL:
            literal = _literal_key(node)
            if literal is not None:
                if isinstance(literal, str) and literal.isidentifier():
                    self._referenced.add(literal)
                return ("T", "str", literal)
        return ("T", kind)

    def _concatenated_string(self, node: cst.ConcatenatedString) -> Expr:
        literal = _literal_key(node)
        if isinstance(literal, str) and len(literal) <= _MAX_LITERAL:
            if literal.isidentifier():
                self._referenced.add(literal)
            return ("T", "str", literal)
        if isinstance(node.left, cst.SimpleString):
            return ("T", _string_type(node.left))
        self.expr(node.left)
        self.expr(node.right)
        return ("T", "str")

    def _integer(self, node: cst.Integer) -> Expr:
        literal = _literal_key(node)
        return ("T", "int", literal) if literal is not None else ("T", "int")

    def _list(self, node: cst.List) -> Expr:
        return ("L", "list", self._site(), tuple([self._element(e) for e in node.elements]))

    def _tuple(self, node: cst.Tuple) -> Expr:
        return ("L", "tuple", self._site(), tuple([self._element(e) for e in node.elements]))

    def _set(self, node: cst.Set) -> Expr:
        return ("L", "set", self._site(), tuple([self._element(e) for e in node.elements]))

    def _dict(self, node: cst.Dict) -> Expr:
        items: list[tuple[Any, Expr]] = []
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                items.append(("**", self.expr(element.value)))
            else:
                items.append((_literal_key(element.key), self.expr(element.value)))
                if _literal_key(element.key) is None:
                    self.scope.effects.append((self.expr(element.key), 0))
        return ("D", self._site(), tuple(items))

    def _list_comp(self, node: cst.ListComp) -> Expr:
        return ("L", "list", self._site(), (("*e", self.expr(node.elt)),))

    def _set_comp(self, node: cst.SetComp) -> Expr:
        return ("L", "set", self._site(), (("*e", self.expr(node.elt)),))

    def _generator(self, node: cst.GeneratorExp) -> Expr:
        return ("L", "gen", self._site(), (("*e", self.expr(node.elt)),))

    def _dict_comp(self, node: cst.DictComp) -> Expr:
        return ("D", self._site(), ((None, self.expr(node.value)),))

    def _boolean(self, node: cst.BooleanOperation) -> Expr:
        return ("o", (self.expr(node.left), self.expr(node.right)))

    def _if_exp(self, node: cst.IfExp) -> Expr:
        self.scope.effects.append((self.expr(node.test), 0))
        return ("o", (self.expr(node.body), self.expr(node.orelse)))

    def _binary(self, node: cst.BinaryOperation) -> Expr:
        dunder = BINARY.get(type(node.operator).__name__)
        left, right = self.expr(node.left), self.expr(node.right)
        return ("op", dunder, left, right) if dunder else ("o", (left, right))

    def _unary(self, node: cst.UnaryOperation) -> Expr:
        operand = self.expr(node.expression)
        dunder = UNARY.get(type(node.operator).__name__)
        if dunder:
            return ("op", dunder, operand, None)
        return ("not", operand) if isinstance(node.operator, cst.Not) else ("T", "bool")

    def _lambda(self, node: cst.Lambda) -> Expr:
        return ("F", self._lambda_name(node))

    def _await(self, node: cst.Await) -> Expr:
        return self.expr(node.expression)

    def _named(self, node: cst.NamedExpr) -> Expr:
        return self.expr(node.value)

    def _starred(self, node: cst.StarredElement) -> Expr:
        return ("it", self.expr(node.value))

    def _other(self, node: cst.BaseExpression) -> Expr:
        return NOTHING

    def _formatted(self, node: cst.FormattedString) -> Expr:
        """("fmt", parts) for an f-string of plain `{expr}` fields: constant fields give a
        constant string (plugin paths, handler names); else a str."""
        parts: list[Expr] = []
        plain = "b" not in node.prefix.lower()
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                value = self.expr(part.expression)
                self.scope.effects.append((value, 0))
                if part.conversion is not None or part.format_spec is not None:
                    plain = False
                parts.append(value)
            elif isinstance(part, cst.FormattedStringText):
                if "{" in part.value or "}" in part.value or "\\" in part.value:
                    plain = False
                parts.append(("T", "str", part.value))
        return ("fmt", tuple(parts)) if plain and len(parts) <= 8 else ("T", "str")

    def _element(self, element: cst.BaseElement) -> Expr:
        value = self.expr(element.value)
        return ("*", value) if isinstance(element, cst.StarredElement) else value

    def _comparison(self, node: cst.Comparison) -> Expr:
        left = self.expr(node.left)
        parts: list[Expr] = []
        for target in node.comparisons:
            right = self.expr(target.comparator)
            name = type(target.operator).__name__
            if name in ("In", "NotIn"):
                parts.append(("op", "__contains__", right, left))
            elif name in COMPARE:
                parts.append(("op", COMPARE[name], left, right))
            left = right
        return ("o", (*parts, ("T", "bool"))) if parts else ("T", "bool")

    def augmented(self, node: cst.AugAssign, line: int) -> None:
        name = type(node.operator).__name__
        dunder = AUGMENTED.get(name)
        current = self.expr(node.target)
        value = self.expr(node.value)
        result: Expr = ("op", dunder, current, value) if dunder else ("o", (current, value))
        self.assign(node.target, result, line)

    # -- result

    def facts(self) -> FlowFacts:
        calls = tuple(c for c in self._calls if c is not None)
        facts = FlowFacts(tuple(s.freeze() for s in self._done), calls, frozenset(self._referenced))
        try:
            return _Shared().flow(facts)
        except RecursionError:  # an expression nested deeper than sharing can walk
            return facts


_Converter = Callable[[FlowRecorder, Any], Expr]

#: Expression converters by node class, in the order they are tried: the first whose
#: classes a node is an instance of converts it.
_CONVERTERS: tuple[tuple[type | tuple[type, ...], _Converter], ...] = (
    (cst.Name, FlowRecorder._name),
    (cst.Attribute, FlowRecorder._attribute),
    (cst.Call, FlowRecorder._call),
    (cst.SimpleString, FlowRecorder._simple_string),
    (cst.ConcatenatedString, FlowRecorder._concatenated_string),
    (cst.FormattedString, FlowRecorder._formatted),
    (cst.Integer, FlowRecorder._integer),
    (cst.Float, lambda recorder, node: ("T", "float")),
    (cst.Imaginary, lambda recorder, node: ("T", "complex")),
    (cst.Subscript, FlowRecorder._subscript),
    (cst.List, FlowRecorder._list),
    (cst.Tuple, FlowRecorder._tuple),
    (cst.Set, FlowRecorder._set),
    (cst.Dict, FlowRecorder._dict),
    (cst.ListComp, FlowRecorder._list_comp),
    (cst.SetComp, FlowRecorder._set_comp),
    (cst.GeneratorExp, FlowRecorder._generator),
    (cst.DictComp, FlowRecorder._dict_comp),
    (cst.BooleanOperation, FlowRecorder._boolean),
    (cst.IfExp, FlowRecorder._if_exp),
    (cst.BinaryOperation, FlowRecorder._binary),
    (cst.UnaryOperation, FlowRecorder._unary),
    (cst.Comparison, FlowRecorder._comparison),
    (cst.Lambda, FlowRecorder._lambda),
    (cst.Await, FlowRecorder._await),
    (cst.NamedExpr, FlowRecorder._named),
    (cst.StarredElement, FlowRecorder._starred),
)
#: node class -> its converter (`_converter` fills it, once per class)
_CONVERT: dict[type, _Converter] = {}


def _converter(cls: type) -> _Converter:
    """The converter for a node class: a dict lookup per expression instead of a chain of
    isinstance checks (each an ABC check, libcst's node classes being ABCs)."""
    found: _Converter = FlowRecorder._other
    for classes, converter in _CONVERTERS:
        if issubclass(cls, classes):
            found = converter
            break
    _CONVERT[cls] = found
    return found


class _Shared:
    """Makes equal strings and equal expression tuples of one module a single object
    (hash-consing). The facts are equal to what they were; they just share: `("n", "self")`
    or an attribute name written a thousand times is held once, and since pickle keeps
    shared objects shared, once in the facts cache and in the parent process after the
    process pool sends them. On Django this takes a third off the flow facts' memory and a
    quarter off their pickles (and unpickling time), for about 5% more parse time.

    Tuples are matched by the identity of their (already shared) strings and tuples and by
    type and value of anything else, so `(1,)` and `(True,)` stay apart."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._tuples: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # id of a tuple of the facts being shared -> its shared equal: the recorder reuses
        # one tuple in several places (an assignment's value, a call's func), walked once.
        self._done: dict[int, tuple[Any, ...]] = {}

    def value(self, item: Any) -> Any:
        kind = type(item)
        if kind is str:
            return self._strings.setdefault(item, item)
        if kind is tuple:
            return self._tuple(item)
        if kind is Param:
            return Param(
                self.value(item.name),
                self.value(item.kind),
                self.value(item.default),
                self.value(item.annotation),
            )
        return item

    def _tuple(self, item: tuple[Any, ...]) -> tuple[Any, ...]:
        found = self._done.get(id(item))
        if found is not None:
            return found
        strings = self._strings
        parts: list[Any] = []
        key: list[Any] = []
        for part in item:
            kind = type(part)
            if kind is str:
                part = strings.setdefault(part, part)
                key.append(id(part))
            elif kind is tuple:
                part = self._tuple(part)
                key.append(id(part))
            else:
                if kind is Param:
                    part = self.value(part)
                key.append((kind, part))
            parts.append(part)
        frozen = tuple(key)
        found = self._tuples.get(frozen)
        if found is None:
            found = self._tuples[frozen] = tuple(parts)
        self._done[id(item)] = found
        return found

    def scope(self, scope: FlowScope) -> FlowScope:
        value = self.value
        return FlowScope(
            qualname=value(scope.qualname),
            kind=value(scope.kind),
            parent=value(scope.parent),
            line=scope.line,
            params=value(scope.params),
            decorators=value(scope.decorators),
            bases=value(scope.bases),
            returns_hint=value(scope.returns_hint),
            is_generator=scope.is_generator,
            is_async=scope.is_async,
            local_names=value(scope.local_names),
            global_names=value(scope.global_names),
            assigns=value(scope.assigns),
            returns=value(scope.returns),
            yields=value(scope.yields),
            return_lines=value(scope.return_lines),
            yield_lines=value(scope.yield_lines),
            effects=value(scope.effects),
            calls=value(scope.calls),
        )

    def flow(self, facts: FlowFacts) -> FlowFacts:
        value = self.value
        return FlowFacts(
            tuple(self.scope(scope) for scope in facts.scopes),
            tuple(
                FlowCall(
                    value(call.scope),
                    value(call.func),
                    value(call.args),
                    value(call.kwargs),
                    call.line,
                )
                for call in facts.calls
            ),
            frozenset(value(name) for name in facts.referenced),
        )
