"""Data-flow facts of one module: what the points-to call graph needs, recorded during parsing.

(This module holds the plain data; analyzer.flow_recorder builds it from libcst nodes.)

The parse pass (analyzer.parse) feeds a FlowRecorder as it walks the syntax tree; the recorder
turns the statements that move values around (assignments, returns, yields, calls, `for`,
`with`, `except ... as`, decorators, defaults, annotations) into a small expression language of
nested tuples, grouped by scope. Tuples of strings and ints pickle cheaply across the process
pool and into the facts cache, and the project-wide solver (analyzer.points_to) never sees a
syntax tree.

Expressions (`Expr`), by tag:

    ("n", name)                  a name, looked up through the scopes at solve time
    ("a", expr, attr)            attribute
    ("c", index)                 the result of call number `index` of this module
    ("s", expr, key[, key_expr]) subscript; key is an int or str literal, (":", lower, upper)
                                 for a slice (literal int bounds or None), None when
                                 computed (then key_expr, when known, computes it)
    ("T", type[, literal])       a value of a builtin type: "str", "int", "bytes", ...; short
                                 str and int literals keep their value (dict keys, getattr)
    ("L", kind, site, elements)  list/tuple/set/generator display or comprehension; kind is
                                 "list", "tuple", "set" or "gen"; an element ("*", expr) is
                                 starred, ("*e", expr) is a comprehension's element (any
                                 position); `site` numbers the allocation within the module
    ("D", site, items)           dict display; items are (key, expr), key a literal, None when
                                 computed, "**" for `**expr`
    ("F", qualname)              a def, class or lambda of this module (after its decorators)
    ("o", exprs)                 any of the expressions (`a or b`, `x if c else y`); ("o", ())
                                 is a value that can call nothing (None, a bool)
    ("op", dunder, left, right)  an operator; `right` is None for unary ones
    ("it", expr)                 an element of iterating expr (`for`, comprehension, `*x`)
    ("ent", expr)                the value `with expr as ...` binds (calls __enter__/__exit__)
    ("ins", expr)                an instance of the class(es) expr names (annotations)
    ("exc", expr)                an instance of the class(es) expr names or of a subclass
                                 (`except E as e`)
    ("hint", expr)               (assigned values only) a fallback: `x: Repo` without a value
    ("raise", expr)              `raise expr`: a class raised bare is instantiated
    ("not", expr)                `not expr`
    ("fmt", parts)               an f-string of text parts ("T", "str", text) and fields

A function's `returns` may hold ("guard", ((test, outcome), ...), expr): a return reached only
when each test has that outcome (inside `if test:`, its `else:`, or after an `if test:` whose
body always leaves).

Assignment targets use "n", "a", "s", and ("t", targets) for unpacking, with ("*", target)
for a starred target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Expr = tuple[Any, ...]

NOTHING: Expr = ("o", ())


@dataclass(frozen=True)
class Param:
    """One parameter: kind is "pos" (positional or keyword), "posonly", "vararg", "kwonly",
    or "kwarg"; `default` and `annotation` are evaluated in the enclosing scope."""

    name: str
    kind: str
    default: Expr | None = None
    annotation: Expr | None = None


@dataclass(frozen=True)
class FlowCall:
    """A call expression: `scope` is the qualname of the scope it is written in ("" for the
    module; a class qualname for a class body), `kwargs` names are None for `**expr`."""

    scope: str
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[tuple[str | None, Expr], ...]
    line: int


@dataclass(frozen=True)
class FlowScope:
    """A module, class body, function or lambda, and the statements that move values in it.

    `qualname` is unique within the module: a name defined twice in one scope gets `#2`,
    `#3`... appended (see `display_name`). `parent` is the qualname of the enclosing scope
    (None for the module). `local_names` are
    the names the scope binds (for functions: minus those declared global or nonlocal).
    `assigns` are (target, value, line); `effects` are expressions evaluated for what they
    call (conditions, expression statements, `with` items), with their line.
    """

    qualname: str
    kind: str  # "module", "class", "function", "lambda"
    parent: str | None
    line: int
    params: tuple[Param, ...] = ()
    decorators: tuple[Expr, ...] = ()  # outermost first
    bases: tuple[Expr, ...] = ()
    returns_hint: Expr | None = None
    is_generator: bool = False
    is_async: bool = False
    local_names: tuple[str, ...] = ()
    global_names: tuple[str, ...] = ()
    assigns: tuple[tuple[Expr, Expr, int], ...] = ()
    returns: tuple[Expr, ...] = ()
    yields: tuple[Expr, ...] = ()
    return_lines: tuple[int, ...] = ()  # the line of each return
    yield_lines: tuple[int, ...] = ()
    effects: tuple[tuple[Expr, int], ...] = ()
    calls: tuple[int, ...] = ()


@dataclass(frozen=True)
class FlowFacts:
    """All scopes of a module (the module itself first) and all of its calls."""

    scopes: tuple[FlowScope, ...]
    calls: tuple[FlowCall, ...]
    #: Every name read and attribute used in the module, and identifier-like string
    #: constants (`getattr(obj, "name")`): whatever the code may refer a definition by.
    referenced: frozenset[str] = frozenset()


_REDEFINITION = re.compile(r"#\d+")


def display_name(qualified: str) -> str:
    """A scope's name as users see it: `A.total#2` (a property setter) is `A.total`."""
    return _REDEFINITION.sub("", qualified) if "#" in qualified else qualified


#: libcst operator class names -> the dunder Python calls for them.
BINARY = {
    "Add": "__add__",
    "Subtract": "__sub__",
    "Multiply": "__mul__",
    "Divide": "__truediv__",
    "FloorDivide": "__floordiv__",
    "Modulo": "__mod__",
    "Power": "__pow__",
    "MatrixMultiply": "__matmul__",
    "LeftShift": "__lshift__",
    "RightShift": "__rshift__",
    "BitAnd": "__and__",
    "BitOr": "__or__",
    "BitXor": "__xor__",
}
AUGMENTED = {
    "AddAssign": "__iadd__",
    "SubtractAssign": "__isub__",
    "MultiplyAssign": "__imul__",
    "DivideAssign": "__itruediv__",
    "FloorDivideAssign": "__ifloordiv__",
    "ModuloAssign": "__imod__",
    "PowerAssign": "__ipow__",
    "MatrixMultiplyAssign": "__imatmul__",
    "LeftShiftAssign": "__ilshift__",
    "RightShiftAssign": "__irshift__",
    "BitAndAssign": "__iand__",
    "BitOrAssign": "__ior__",
    "BitXorAssign": "__ixor__",
}
UNARY = {"Minus": "__neg__", "Plus": "__pos__", "BitInvert": "__invert__"}
COMPARE = {
    "Equal": "__eq__",
    "NotEqual": "__ne__",
    "LessThan": "__lt__",
    "LessThanEqual": "__le__",
    "GreaterThan": "__gt__",
    "GreaterThanEqual": "__ge__",
}

#: Augmented operator -> the plain dunder Python falls back to.
AUGMENTED_FALLBACK = {v: BINARY[k.removesuffix("Assign")] for k, v in AUGMENTED.items()}
