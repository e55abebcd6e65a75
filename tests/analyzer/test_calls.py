"""Name-based call resolution across modules."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.trees import analyze_tree

TREE = {
    "app/__init__.py": "",
    "app/base.py": """
        class Repository:
            def save(self, item):
                return self.validate(item)

            def validate(self, item):
                return item

        def helper():
            return 1
    """,
    "app/orders/__init__.py": "from .service import place_order\n",
    "app/orders/service.py": """
        from app.base import Repository, helper
        from app import base

        class OrderRepository(Repository):
            def add(self, order):
                self.save(order)
                return super().validate(order)

        def place_order():
            repo = OrderRepository()
            helper()
            base.helper()
            len([1])
            unknown_function()
            return repo

        def lazy():
            from app.billing import charge
            charge()
    """,
    "app/billing.py": """
        import json
        from app.orders import place_order

        def charge():
            place_order()
            json.dumps({})

        def outer():
            def inner():
                return 1
            return inner()
    """,
}


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    analysis = analyze_tree(tmp_path_factory.mktemp("calls"), TREE)
    return {(c.caller, c.callee) for c in analysis.calls.calls}


@pytest.mark.parametrize(
    ("caller", "callee"),
    [
        # A class without __init__ is recorded as instantiated (for coupling), not as an edge.
        ("app.orders.service.place_order", "app.orders.service.OrderRepository"),
        ("app.orders.service.place_order", "app.base.helper"),
        ("app.orders.service.OrderRepository.add", "app.base.Repository.save"),
        ("app.orders.service.OrderRepository.add", "app.base.Repository.validate"),
        ("app.base.Repository.save", "app.base.Repository.validate"),
        ("app.orders.service.lazy", "app.billing.charge"),
        # The re-export through app/orders/__init__.py is followed to the defining module.
        ("app.billing.charge", "app.orders.service.place_order"),
        ("app.billing.outer", "app.billing.outer.inner"),
    ],
)
def test_resolved_calls(calls: set[tuple[str, str]], caller: str, callee: str) -> None:
    assert (caller, callee) in calls


def test_counts_of_external_and_unknown_calls(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    assert analysis.calls.external >= 2  # len(), json.dumps()
    assert analysis.calls.unresolved >= 1  # unknown_function()
    assert not any(c.callee.endswith("unknown_function") for c in analysis.calls.calls)


def test_module_call_counts_cross_modules_only(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    counts = analysis.calls.module_call_counts()
    assert counts[("app.orders.service", "app.base")] >= 3
    assert all(caller != callee for caller, callee in counts)


def test_inheritance_across_modules(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, TREE)
    assert analysis.inheritance == {("app.orders.service", "app.base"): 1}


# --- local names shadow imports and module-level definitions -------------------------------------

SHADOW_TREE = {
    "p/__init__.py": "",
    "p/lib.py": "def f(): ...\ndef g(): ...\n",
}

F = {"p.lib.f"}
G = {"p.lib.g"}
NONE: set[str] = set()


def lib_callees(tmp_path: Path, body: str, caller: str) -> set[str]:
    """What calls from `caller` in p/use.py (which imports f and g from p.lib) resolve to."""
    use = "from p.lib import f, g\n\n" + textwrap.dedent(body).lstrip("\n")
    analysis = analyze_tree(tmp_path, {**SHADOW_TREE, "p/use.py": use})
    qualified = f"p.use.{caller}" if caller else "p.use"
    return {c.callee for c in analysis.calls.calls if c.caller == qualified}


@pytest.mark.parametrize(
    ("body", "caller", "expected"),
    [
        # Parameters, of every kind.
        ("def a(f): f()", "a", NONE),
        ("def a(f, /): f()", "a", NONE),
        ("def a(*f): f()", "a", NONE),
        ("def a(**f): f()", "a", NONE),
        ("def a(*, f): f()", "a", NONE),
        ("def a(x, *args, g=None, **kw): g()", "a", NONE),
        ("async def a(f): await f()", "a", NONE),
        ("class K:\n    def m(self, f): f()", "K.m", NONE),
        ("def a(): return lambda f: f()", "a", NONE),
        ("def a(): return lambda *f, **g: g()", "a", NONE),
        # Loops, with, except.
        ("def a(xs):\n    for g in xs: g()", "a", NONE),
        ("async def a(xs):\n    async for g in xs: g()", "a", NONE),
        ("def a(xs):\n    for (x, (f, g)) in xs: f()", "a", NONE),
        ("def a(x):\n    with open(x) as f: f()", "a", NONE),
        ("def a():\n    with c() as (f, g), d() as x: g()", "a", NONE),
        ("def a():\n    try: pass\n    except E as g: g()", "a", NONE),
        ("def a():\n    try: pass\n    except* E as g: g()", "a", NONE),
        # Assignments of every shape.
        ("def a():\n    f = something()\n    f()", "a", NONE),
        ("def a():\n    f()\n    f = 1", "a", NONE),  # local for the whole body
        ("def a():\n    x = f = 1\n    f()", "a", NONE),
        ("def a():\n    f: int = 1\n    f()", "a", NONE),
        ("def a():\n    f: int\n    f()", "a", NONE),
        ("def a():\n    f += 1\n    f()", "a", NONE),
        ("def a():\n    (f := 3)\n    f()", "a", NONE),
        ("def a(xs):\n    if any((g := x) for x in xs): g()", "a", NONE),
        ("def a():\n    f, *g = 1, 2\n    g()", "a", NONE),
        ("def a():\n    [x, [f, y]] = z\n    f()", "a", NONE),
        ("def a():\n    del f\n    f()", "a", NONE),
        ("def a(x):\n    match x:\n        case [f, *g]: g()", "a", NONE),
        ("def a(x):\n    match x:\n        case {'k': 1, **f}: f()", "a", NONE),
        ("def a(x):\n    match x:\n        case f: f()", "a", NONE),
        # Comprehension variables (taken as local to the enclosing function).
        ("def a(xs): return [f() for f in xs]", "a", NONE),
        ("def a(xs): return {g: g() for g in xs}", "a", NONE),
        ("def a(xs): return sum(f() for x in xs for f in x)", "a", NONE),
        # Enclosing function scopes count, also across a class body.
        ("def a(f):\n    def b(): f()", "a.b", NONE),
        ("def a():\n    g = 1\n    def b():\n        def c(): g()", "a.b.c", NONE),
        ("def a():\n    f = 1\n    class K:\n        def m(self): f()", "a.K.m", NONE),
        ("def a():\n    f = 1\n    def b():\n        nonlocal f\n        f()", "a.b", NONE),
        # Function-local imports and nested definitions still resolve.
        ("def a():\n    from p.lib import g as f\n    f()", "a", G),
        ("def a(f):\n    from p.lib import g as f\n    f()", "a", G),
        ("def a():\n    import os as f\n    f()", "a", NONE),
        ("def a():\n    def f(): ...\n    f()", "a", {"p.use.a.f"}),
        ("def a():\n    class g: ...\n    g()", "a", {"p.use.a.g"}),
    ],
)
def test_local_names_shadow_imports(
    tmp_path: Path, body: str, caller: str, expected: set[str]
) -> None:
    assert lib_callees(tmp_path, body, caller) == expected


@pytest.mark.parametrize(
    ("body", "caller", "expected"),
    [
        ("def a(): f()", "a", F),
        ("def a(x): return f(x) + g()", "a", F | G),
        # `global` makes the name the module-level binding, whatever the function does with it.
        ("def a():\n    global f\n    f = g()\n    f()", "a", F | G),
        ("def a(xs):\n    global g\n    for g in xs: g()", "a", G),
        # A class body's names are not visible in its methods.
        ("class K:\n    f = 1\n    def m(self): f()", "K.m", F),
        ("class K:\n    for g in []: pass\n    def m(self): g()", "K.m", G),
        ("class K:\n    f: int = 1\n    def m(self, g): return f(), g()", "K.m", F),
        # Locals of other functions, of nested functions and of lambdas stay where they are.
        ("def b(f): pass\ndef a(): f()", "a", F),
        ("def a():\n    def b(f): pass\n    f()", "a", F),
        ("def a():\n    def b():\n        g = 1\n    g()", "a", G),
        # Only names are bound: attributes, subscripts and keyword arguments are not.
        ("def a(x):\n    x.f = 1\n    x[g] = 2\n    f(f=1)", "a", F),
        # Defaults and decorators are evaluated in the enclosing scope.
        ("def a(f=f()): pass", "", F),
        ("@g()\ndef a(g): pass", "", G),
    ],
)
def test_names_that_are_not_local_still_resolve(
    tmp_path: Path, body: str, caller: str, expected: set[str]
) -> None:
    assert lib_callees(tmp_path, body, caller) == expected


def test_shadowed_calls_are_counted_as_unresolved(tmp_path: Path) -> None:
    body = """
    def a(f, len):
        f()
        len()
        print()
    """
    analysis = analyze_tree(
        tmp_path, {**SHADOW_TREE, "p/use.py": textwrap.dedent(body).lstrip("\n")}
    )
    assert analysis.calls.calls == ()
    assert (analysis.calls.unresolved, analysis.calls.external) == (2, 1)


def test_calls_pickle_as_equal_values() -> None:
    """The call graph cache pickles them (as constructor arguments, see __reduce__)."""
    import pickle

    from analyzer.calls import ExternalCall, ResolvedCall

    internal = ResolvedCall("app.views", "app.views.show", "app.models", "app.models.A", 4, True)
    external = ExternalCall("app.views", "app.views.show", "<builtin>.len", 5)
    assert pickle.loads(pickle.dumps((internal, external))) == (internal, external)
