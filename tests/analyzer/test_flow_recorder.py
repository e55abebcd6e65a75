"""FlowRecorder: the flow facts (analyzer.flow) the parse pass records for the points-to solver."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from analyzer.facts import ModuleFacts, SourceFile
from analyzer.flow import NOTHING, Expr, FlowFacts, FlowScope, Param, display_name
from analyzer.flow_recorder import string_value
from analyzer.parse import parse_source

SOURCE = SourceFile(Path("/nowhere/shop/orders.py"), "shop/orders.py", "shop.orders", False)


def flow_of(code: str) -> FlowFacts:
    result = parse_source(SOURCE, textwrap.dedent(code).lstrip("\n").encode())
    assert isinstance(result, ModuleFacts), result
    assert result.flow is not None
    return result.flow


def scope_of(facts: FlowFacts, qualname: str) -> FlowScope:
    found = [s for s in facts.scopes if s.qualname == qualname]
    assert len(found) == 1, [s.qualname for s in facts.scopes]
    return found[0]


def module_assigns(code: str) -> list[tuple[Expr, Expr]]:
    """(target, value) of the module's assignments, in order."""
    return [(target, value) for target, value, _line in flow_of(code).scopes[0].assigns]


def value_of(expression: str) -> Expr:
    """What `value = <expression>` assigns."""
    ((target, value),) = module_assigns(f"value = {expression}\n")
    assert target == ("n", "value")
    return value


def n(name: str) -> Expr:
    return ("n", name)


def s(text: str) -> Expr:
    return ("T", "str", text)


def i(number: int) -> Expr:
    return ("T", "int", number)


def eq(left: Expr, right: Expr) -> Expr:
    """How `left == right` is recorded as a condition."""
    return ("o", (("op", "__eq__", left, right), ("T", "bool")))


# --- scopes -------------------------------------------------------------------------------------

SCOPES = """
import logging

class OrderService:
    retries = 3

    def place(self, order):
        def audit(entry):
            return entry
        return audit(order)

    class Meta:
        def describe(self):
            return "meta"

def make_service():
    return OrderService()

async def fetch_orders(client):
    return await client.get()
"""


@pytest.mark.parametrize(
    ("qualname", "kind", "parent"),
    [
        ("OrderService", "class", ""),
        ("OrderService.place", "function", "OrderService"),
        ("OrderService.place.audit", "function", "OrderService.place"),
        ("OrderService.Meta", "class", "OrderService"),
        ("OrderService.Meta.describe", "function", "OrderService.Meta"),
        ("make_service", "function", ""),
        ("fetch_orders", "function", ""),
    ],
)
def test_scope_kinds_and_parents(qualname: str, kind: str, parent: str) -> None:
    found = scope_of(flow_of(SCOPES), qualname)
    assert (found.kind, found.parent) == (kind, parent)


def test_module_scope_comes_first_and_scopes_keep_source_order() -> None:
    facts = flow_of(SCOPES)
    module = facts.scopes[0]
    assert (module.qualname, module.kind, module.parent, module.line) == ("", "module", None, 1)
    assert [s.qualname for s in facts.scopes] == [
        "",
        "OrderService",
        "OrderService.place",
        "OrderService.place.audit",
        "OrderService.Meta",
        "OrderService.Meta.describe",
        "make_service",
        "fetch_orders",
    ]


def test_scope_lines_and_async() -> None:
    facts = flow_of(SCOPES)
    assert scope_of(facts, "OrderService").line == 3
    assert scope_of(facts, "OrderService.place").line == 6
    assert scope_of(facts, "fetch_orders").line == 18
    assert scope_of(facts, "fetch_orders").is_async
    assert not scope_of(facts, "make_service").is_async


def test_definitions_are_assignments_in_the_defining_scope() -> None:
    facts = flow_of(SCOPES)
    module = facts.scopes[0]
    assert [(t, v) for t, v, _ in module.assigns] == [
        (n("OrderService"), ("F", "OrderService")),
        (n("make_service"), ("F", "make_service")),
        (n("fetch_orders"), ("F", "fetch_orders")),
    ]
    assert module.local_names == ("OrderService", "fetch_orders", "make_service")
    service = scope_of(facts, "OrderService")
    assert service.local_names == ("Meta", "place", "retries")
    assert (n("place"), ("F", "OrderService.place")) in [(t, v) for t, v, _ in service.assigns]


def test_definition_assignments_have_the_definition_line() -> None:
    facts = flow_of(SCOPES)
    lines = {v[1]: line for sc in facts.scopes for _t, v, line in sc.assigns if v[0] == "F"}
    assert lines == {sc.qualname: sc.line for sc in facts.scopes[1:]}


def test_class_bases_and_decorators() -> None:
    facts = flow_of(
        """
        @dataclass
        @register("orders")
        class OrderRepository(BaseRepository, mixins.Auditable, metaclass=RepoMeta):
            pass
        """
    )
    repo = scope_of(facts, "OrderRepository")
    assert repo.bases == (n("BaseRepository"), ("a", n("mixins"), "Auditable"))
    assert repo.decorators == (n("dataclass"), ("c", 0))  # outermost first
    assert facts.calls[0].func == n("register")
    assert facts.calls[0].scope == ""


# --- parameters ---------------------------------------------------------------------------------


def test_parameter_kinds() -> None:
    facts = flow_of("def handle(request, /, user, *args, force, dry_run=False, **options): ...")
    assert scope_of(facts, "handle").params == (
        Param("request", "posonly"),
        Param("user", "pos"),
        Param("args", "vararg"),
        Param("force", "kwonly"),
        Param("dry_run", "kwonly", ("T", "bool")),
        Param("options", "kwarg"),
    )


def test_parameters_are_local_names() -> None:
    facts = flow_of("def handle(request, *args, **options):\n    response = request\n")
    assert scope_of(facts, "handle").local_names == ("args", "options", "request", "response")


def test_defaults_are_evaluated_in_the_enclosing_scope() -> None:
    facts = flow_of(
        """
        class Service:
            def run(self, repo=make_repo(), retries=3, fmt="csv", on_error=None):
                pass
        """
    )
    params = {p.name: p for p in scope_of(facts, "Service.run").params}
    assert params["repo"].default == ("c", 0)
    assert params["retries"].default == i(3)
    assert params["fmt"].default == s("csv")
    assert params["on_error"].default == NOTHING
    assert params["self"].default is None
    (call,) = facts.calls
    assert (call.scope, call.func, call.line) == ("Service", n("make_repo"), 2)
    assert scope_of(facts, "Service").calls == (0,)
    assert scope_of(facts, "Service.run").calls == ()


INS_REPO = ("ins", n("Repository"))


@pytest.mark.parametrize(
    ("annotation", "hint"),
    [
        ("Repository", INS_REPO),
        ("repos.Repository", ("ins", ("a", n("repos"), "Repository"))),
        ('"Repository"', INS_REPO),
        ("'repos.Repository'", ("ins", ("a", n("repos"), "Repository"))),
        ("Optional[Repository]", ("o", (INS_REPO,))),
        ('Optional["Repository"]', ("o", (INS_REPO,))),
        ("typing.Optional[Repository]", ("o", (INS_REPO,))),
        ("Union[Repository, Cache]", ("o", (INS_REPO, ("ins", n("Cache"))))),
        ("Repository | None", ("o", (INS_REPO, NOTHING))),
        ('"Repository | None"', ("o", (INS_REPO, NOTHING))),
        ("Annotated[Repository, 'primary']", ("o", (INS_REPO,))),
        ("None", NOTHING),
        ("list[Repository]", NOTHING),
        ('"not an expression("', NOTHING),
        ("b'Repository'", NOTHING),
    ],
)
def test_annotations_become_hints(annotation: str, hint: Expr) -> None:
    facts = flow_of(f"def save(repo: {annotation}) -> {annotation}:\n    pass\n")
    save = scope_of(facts, "save")
    assert save.params == (Param("repo", "pos", None, hint),)
    assert save.returns_hint == hint


def test_no_return_annotation_means_no_hint() -> None:
    assert scope_of(flow_of("def save(repo): pass"), "save").returns_hint is None


def test_string_annotation_names_are_referenced() -> None:
    assert "Repository" in flow_of('def save(repo: "Repository"): pass').referenced


def test_annotated_names_without_value_are_hints() -> None:
    facts = flow_of(
        """
        class Service:
            repo: Repository
            cache: Optional[Cache] = None

            def __init__(self):
                self.clock: Clock
        """
    )
    service = scope_of(facts, "Service")
    assert [(t, v) for t, v, _ in service.assigns][:2] == [
        (n("repo"), ("hint", INS_REPO)),
        (n("cache"), NOTHING),
    ]
    init = scope_of(facts, "Service.__init__")
    assert [(t, v) for t, v, _ in init.assigns] == [
        (("a", n("self"), "clock"), ("hint", ("ins", n("Clock"))))
    ]


# --- lambdas ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "lambdas"),
    [
        ("on_save = lambda order: order", ["<lambda1>"]),
        ("a = lambda: 1\nb = lambda: 2", ["<lambda1>", "<lambda2>"]),
        ("def route():\n    return lambda request: request", ["route.<lambda1>"]),
        ("class Handlers:\n    key = lambda self: self.id", ["Handlers.<lambda1>"]),
        # Numbered per enclosing scope, in source order.
        (
            "first = lambda: 1\ndef route():\n    return lambda: 2\nsecond = lambda: 3",
            ["<lambda1>", "route.<lambda1>", "<lambda2>"],
        ),
        # A lambda inside a lambda is numbered within the outer lambda.
        ("retry = lambda job: (lambda: job())", ["<lambda1>", "<lambda1>.<lambda1>"]),
        (
            "def route():\n    a = lambda: lambda: 1\n    b = lambda: 2",
            ["route.<lambda1>", "route.<lambda1>.<lambda1>", "route.<lambda2>"],
        ),
        # Defaults and decorators belong to the scope holding the def.
        ("def route(key=lambda r: r):\n    return key", ["<lambda1>"]),
        ("@cache(key=lambda r: r)\ndef route():\n    pass", ["<lambda1>"]),
        # Inside displays and calls, left to right.
        (
            'HANDLERS = {"a": lambda: 1, "b": lambda: 2}\nsorted(xs, key=lambda x: x)',
            ["<lambda1>", "<lambda2>", "<lambda3>"],
        ),
    ],
)
def test_lambda_names(code: str, lambdas: list[str]) -> None:
    facts = flow_of(code)
    assert [s.qualname for s in facts.scopes if s.kind == "lambda"] == lambdas


def test_lambda_scope_params_parent_and_return() -> None:
    facts = flow_of(
        """
        def route(registry):
            registry.add(lambda request, *, user=current_user(): handle(request, user))
        """
    )
    handler = scope_of(facts, "route.<lambda1>")
    assert handler.parent == "route"
    assert handler.line == 2
    assert [(p.name, p.kind) for p in handler.params] == [("request", "pos"), ("user", "kwonly")]
    assert handler.local_names == ("request", "user")
    by_func = {c.func: c for c in facts.calls}
    assert by_func[("a", n("registry"), "add")].args == (("F", "route.<lambda1>"),)
    assert by_func[n("current_user")].scope == "route"  # a default: the enclosing scope
    assert by_func[n("handle")].scope == "route.<lambda1>"
    assert handler.returns == (("c", facts.calls.index(by_func[n("handle")])),)


def test_lambda_parameters_are_not_locals_of_the_enclosing_function() -> None:
    facts = flow_of(
        """
        def notify(orders):
            key = lambda send: send.priority
            return send(sorted(orders, key=key))
        """
    )
    assert scope_of(facts, "notify").local_names == ("key", "orders")


# --- redefinitions ------------------------------------------------------------------------------


def test_property_setter_gets_a_distinct_qualname() -> None:
    facts = flow_of(
        """
        class Account:
            @property
            def balance(self):
                return self._balance

            @balance.setter
            def balance(self, value):
                self._store(value)
        """
    )
    getter = scope_of(facts, "Account.balance")
    setter = scope_of(facts, "Account.balance#2")
    assert getter.decorators == (n("property"),)
    assert setter.decorators == (("a", n("balance"), "setter"),)
    assert [p.name for p in setter.params] == ["self", "value"]
    assert display_name(setter.qualname) == "Account.balance"
    account = scope_of(facts, "Account")
    assert [(t, v) for t, v, _ in account.assigns] == [
        (n("balance"), ("F", "Account.balance")),
        (n("balance"), ("F", "Account.balance#2")),
    ]
    (call,) = facts.calls
    assert call.scope == "Account.balance#2"


def test_conditional_definitions_are_numbered_per_scope() -> None:
    facts = flow_of(
        """
        if FAST:
            def dumps(obj):
                def encode(x): return x
                return encode(obj)
        elif SAFE:
            def dumps(obj):
                def encode(x): return x
                return encode(obj)
        else:
            def dumps(obj):
                return obj

        def loads(text):
            def encode(x): return x
        """
    )
    names = [s.qualname for s in facts.scopes]
    assert names == [
        "",
        "dumps",
        "dumps.encode",
        "dumps#2",
        "dumps#2.encode",
        "dumps#3",
        "loads",
        "loads.encode",
    ]
    assert scope_of(facts, "dumps#2.encode").parent == "dumps#2"


@pytest.mark.parametrize(
    ("qualname", "shown"),
    [
        ("Account.balance#2", "Account.balance"),
        ("dumps#3", "dumps"),
        ("dumps#2.encode", "dumps.encode"),
        ("Service.run.<lambda1>", "Service.run.<lambda1>"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_display_name(qualname: str, shown: str) -> None:
    assert display_name(qualname) == shown


# --- assignments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "target", "value"),
    [
        ("repo = make_repo", n("repo"), n("make_repo")),
        ("self.repo = repo", ("a", n("self"), "repo"), n("repo")),
        ("app.config.debug = flag", ("a", ("a", n("app"), "config"), "debug"), n("flag")),
        ("first, second = pair", ("t", (n("first"), n("second"))), n("pair")),
        ("[first, second] = pair", ("t", (n("first"), n("second"))), n("pair")),
        (
            "head, *rest, tail = items",
            ("t", (n("head"), ("*", n("rest")), n("tail"))),
            n("items"),
        ),
        (
            "(key, (name, handler)) = entry",
            ("t", (n("key"), ("t", (n("name"), n("handler"))))),
            n("entry"),
        ),
        (
            "self.a, HANDLERS['x'] = pair",
            ("t", (("a", n("self"), "a"), ("s", n("HANDLERS"), "x"))),
            n("pair"),
        ),
        ('HANDLERS["csv"] = export_csv', ("s", n("HANDLERS"), "csv"), n("export_csv")),
        ("HANDLERS['a' 'b'] = f", ("s", n("HANDLERS"), "ab"), n("f")),
        ("ROUTES[0] = home", ("s", n("ROUTES"), 0), n("home")),
        ("ROUTES[-1] = home", ("s", n("ROUTES"), -1), n("home")),
        ("ROUTES[0x10] = home", ("s", n("ROUTES"), 16), n("home")),
        ("HANDLERS[kind] = f", ("s", n("HANDLERS"), None, n("kind")), n("f")),
        ("HANDLERS[name.lower()] = f", ("s", n("HANDLERS"), None, ("c", 0)), n("f")),
        ("HANDLERS[a, b] = f", ("s", n("HANDLERS"), None), n("f")),
        ("STEPS[1:3] = f", ("s", n("STEPS"), (":", 1, 3)), n("f")),
        ("STEPS[:2] = f", ("s", n("STEPS"), (":", None, 2)), n("f")),
        ("STEPS[-2:] = f", ("s", n("STEPS"), (":", -2, None)), n("f")),
        ("STEPS[:] = f", ("s", n("STEPS"), (":", None, None)), n("f")),
        ("STEPS[:count] = f", ("s", n("STEPS"), (":", None, None)), n("f")),
        ("STEPS[::2] = f", ("s", n("STEPS"), (":", None, None)), n("f")),
        ("STEPS[1:3:2] = f", ("s", n("STEPS"), (":", None, None)), n("f")),
        ("repo: Repository = make()", n("repo"), ("c", 0)),
        ("total += amount", n("total"), ("op", "__iadd__", n("total"), n("amount"))),
        ("mask |= flag", n("mask"), ("op", "__ior__", n("mask"), n("flag"))),
        (
            "self.count -= 1",
            ("a", n("self"), "count"),
            ("op", "__isub__", ("a", n("self"), "count"), i(1)),
        ),
        ("x = y = 1", n("y"), i(1)),
    ],
)
def test_assignment_targets(statement: str, target: Expr, value: Expr) -> None:
    assert module_assigns(statement)[-1] == (target, value)


def test_chained_assignment_assigns_each_target() -> None:
    assert module_assigns("primary = fallback = make_repo") == [
        (n("primary"), n("make_repo")),
        (n("fallback"), n("make_repo")),
    ]


def test_assigned_names_are_local_but_attributes_and_items_are_not() -> None:
    facts = flow_of(
        """
        def configure(app):
            app.debug = True
            app.routes["home"] = home
            primary, *others = app.repos
            count = 0
            count += 1
        """
    )
    assert scope_of(facts, "configure").local_names == ("app", "count", "others", "primary")


@pytest.mark.parametrize(
    ("code", "target", "value"),
    [
        ("for order in orders: pass", n("order"), ("it", n("orders"))),
        (
            "for key, handler in HANDLERS.items(): pass",
            ("t", (n("key"), n("handler"))),
            ("it", ("c", 0)),
        ),
        ("async def f():\n    async for row in cursor: pass", n("row"), ("it", n("cursor"))),
        ("with session() as db: pass", n("db"), ("ent", ("c", 0))),
        ("with lock, open(p) as fh: pass", n("fh"), ("ent", ("c", 0))),
        ("with pool() as (a, b): pass", ("t", (n("a"), n("b"))), ("ent", ("c", 0))),
        (
            "try: pass\nexcept NotFound as error: pass",
            n("error"),
            ("o", (("exc", n("NotFound")),)),
        ),
        (
            "try: pass\nexcept (NotFound, errors.Conflict) as error: pass",
            n("error"),
            ("o", (("exc", n("NotFound")), ("exc", ("a", n("errors"), "Conflict")))),
        ),
        ("try: pass\nexcept* Timeout as group: pass", n("group"), ("o", (("exc", n("Timeout")),))),
        ("if (user := find_user()): pass", n("user"), ("c", 0)),
        ("ids = [o.id for o in orders]", n("o"), ("it", n("orders"))),
        ("totals = {k: v for k, v in rows}", ("t", (n("k"), n("v"))), ("it", n("rows"))),
    ],
)
def test_binding_statements(code: str, target: Expr, value: Expr) -> None:
    facts = flow_of(code)
    assigns = [(t, v) for sc in facts.scopes for t, v, _ in sc.assigns if v[0] != "F"]
    assert (target, value) in assigns


def test_with_without_as_is_an_effect() -> None:
    module = flow_of("with transaction(), lock:\n    pass\n").scopes[0]
    assert [e for e, _ in module.effects] == [("ent", ("c", 0)), ("ent", n("lock"))]
    assert module.assigns == ()


def test_except_without_name_evaluates_the_type() -> None:
    module = flow_of("try:\n    pass\nexcept load_errors():\n    pass\n").scopes[0]
    assert (("c", 0), 3) in module.effects


def test_walrus_in_a_comprehension_binds_in_the_function() -> None:
    facts = flow_of("def f(rows):\n    return [y for r in rows if (y := parse(r))]\n")
    f = scope_of(facts, "f")
    assert "y" in f.local_names
    assert (n("y"), ("c", 0)) in [(t, v) for t, v, _ in f.assigns]


# --- returns, guards, yields --------------------------------------------------------------------


def returns_of(code: str, qualname: str = "pick") -> tuple[Expr, ...]:
    return scope_of(flow_of(code), qualname).returns


IS_CSV = eq(n("fmt"), s("csv"))
IS_JSON = eq(n("fmt"), s("json"))


@pytest.mark.parametrize(
    ("body", "returns"),
    [
        ("return to_csv", (n("to_csv"),)),
        ("return", ()),
        ("return None", (NOTHING,)),
        (
            'if fmt == "csv":\n    return to_csv\nreturn to_json',
            (
                ("guard", ((IS_CSV, True),), n("to_csv")),
                ("guard", ((IS_CSV, False),), n("to_json")),
            ),
        ),
        (
            'if fmt == "csv": return to_csv\nreturn to_json',
            (
                ("guard", ((IS_CSV, True),), n("to_csv")),
                ("guard", ((IS_CSV, False),), n("to_json")),
            ),
        ),
        (
            'if fmt == "csv":\n    return to_csv\nelse:\n    return to_json',
            (
                ("guard", ((IS_CSV, True),), n("to_csv")),
                ("guard", ((IS_CSV, False),), n("to_json")),
            ),
        ),
        (
            'if fmt == "csv":\n    raise ValueError(fmt)\nreturn to_json',
            (("guard", ((IS_CSV, False),), n("to_json")),),
        ),
        # A body that does not always leave says nothing about what follows.
        (
            'if fmt == "csv":\n    log(fmt)\nreturn to_json',
            (n("to_json"),),
        ),
        (
            'if fmt == "csv":\n    if strict:\n        return None\nreturn to_json',
            (("guard", ((IS_CSV, True), (n("strict"), True)), NOTHING), n("to_json")),
        ),
        # Nested conditions accumulate, outermost first.
        (
            'if fmt == "csv":\n    if not strict:\n        return to_csv\n    return strict_csv',
            (
                ("guard", ((IS_CSV, True), (("not", n("strict")), True)), n("to_csv")),
                ("guard", ((IS_CSV, True), (("not", n("strict")), False)), n("strict_csv")),
            ),
        ),
        # A `continue` leaves the rest of the loop body guarded; after the loop, nothing is.
        (
            'for fmt in formats:\n    if fmt == "csv":\n        continue\n    return fmt\n'
            "return None",
            (("guard", ((IS_CSV, False),), n("fmt")), NOTHING),
        ),
        # try/except/with bodies are not conditions.
        (
            "try:\n    return fast\nexcept ImportError:\n    return slow",
            (n("fast"), n("slow")),
        ),
        ("with lock:\n    return cached", (n("cached"),)),
    ],
)
def test_returns_and_guards(body: str, returns: tuple[Expr, ...]) -> None:
    code = "def pick(fmt, formats, strict):\n" + textwrap.indent(body, "    ") + "\n"
    assert returns_of(code) == returns


def test_elif_guards_its_body_by_its_own_test() -> None:
    code = (
        "def pick(fmt):\n"
        '    if fmt == "csv":\n        return to_csv\n'
        '    elif fmt == "json":\n        return to_json\n'
    )
    first, second = returns_of(code)
    assert first == ("guard", ((IS_CSV, True),), n("to_csv"))
    assert second[0] == "guard" and second[2] == n("to_json")
    assert (IS_JSON, True) in second[1]  # (IS_CSV, False) may be recorded too


def test_guard_tests_are_also_effects() -> None:
    pick = scope_of(flow_of('def pick(fmt):\n    if fmt == "csv":\n        return 1\n'), "pick")
    assert (IS_CSV, 2) in pick.effects


def test_returns_in_nested_functions_belong_to_them() -> None:
    facts = flow_of(
        """
        def outer(fmt):
            if fmt == "csv":
                def inner():
                    return helper
                return inner
            return None
        """
    )
    assert scope_of(facts, "outer.inner").returns == (n("helper"),)
    assert scope_of(facts, "outer").returns == (
        ("guard", ((IS_CSV, True),), n("inner")),
        ("guard", ((IS_CSV, False),), NOTHING),
    )


def test_generators() -> None:
    facts = flow_of(
        """
        def export(rows):
            yield HEADER
            yield from rows
            for row in rows:
                yield render(row)
            yield

        def stream(rows):
            return (render(row) for row in rows)

        async def ticker():
            yield 1
        """
    )
    export = scope_of(facts, "export")
    assert export.is_generator
    assert export.yields == (n("HEADER"), ("it", n("rows")), ("c", 0))
    stream = scope_of(facts, "stream")
    assert not stream.is_generator  # a generator expression does not make one
    assert stream.returns == (("L", "gen", 1, (("*e", ("c", 1)),)),)
    ticker = scope_of(facts, "ticker")
    assert ticker.is_generator and ticker.is_async
    assert ticker.yields == (i(1),)


def test_bare_yield_makes_a_generator_without_values() -> None:
    waiter = scope_of(flow_of("def waiter():\n    yield\n"), "waiter")
    assert waiter.is_generator
    assert waiter.yields == ()


# --- calls --------------------------------------------------------------------------------------

CALLS = """
@register(name())
def handler(request, repo=default_repo()):
    rows = [process(r) for r in fetch()]
    return send(
        encode(rows),
        key=sign(),
    )

class Service(make_base()):
    client = connect()

    def run(self):
        return self.client.get(retry=lambda: backoff())

result = outer(
    inner(1)
)(2)
"""


@pytest.mark.parametrize(
    ("func", "scope", "line"),
    [
        (n("register"), "", 1),
        (n("name"), "", 1),
        (n("default_repo"), "", 2),
        (n("process"), "handler", 3),
        (n("fetch"), "handler", 3),
        (n("send"), "handler", 4),
        (n("encode"), "handler", 5),
        (n("sign"), "handler", 6),
        (n("make_base"), "", 9),
        (n("connect"), "Service", 10),
        (("a", ("a", n("self"), "client"), "get"), "Service.run", 13),
        (n("backoff"), "Service.run.<lambda1>", 13),
        (n("outer"), "", 15),
        (n("inner"), "", 16),
    ],
)
def test_call_scopes_and_lines(func: Expr, scope: str, line: int) -> None:
    facts = flow_of(CALLS)
    (call,) = [c for c in facts.calls if c.func == func]
    assert (call.scope, call.line) == (scope, line)


def test_each_call_is_recorded_once_in_its_scope() -> None:
    facts = flow_of(CALLS)
    assert len(facts.calls) == 15
    listed = [index for sc in facts.scopes for index in sc.calls]
    assert sorted(listed) == list(range(len(facts.calls)))
    for sc in facts.scopes:
        for index in sc.calls:
            assert facts.calls[index].scope == sc.qualname
    assert all(c.line > 0 for c in facts.calls)


def test_call_results_are_referred_to_by_index() -> None:
    facts = flow_of(CALLS)
    index = {c.func: position for position, c in enumerate(facts.calls)}
    send = facts.calls[index[n("send")]]
    assert send.args == (("c", index[n("encode")]),)
    assert send.kwargs == (("key", ("c", index[n("sign")])),)
    assert facts.calls[index[n("register")]].args == (("c", index[n("name")]),)
    curried = [c for c in facts.calls if c.func == ("c", index[n("outer")])]
    assert [c.args for c in curried] == [(i(2),)]


def test_call_arguments_of_every_kind() -> None:
    (call,) = flow_of("notify(user, *recipients, channel='mail', **options)").calls
    assert call.args == (n("user"), ("*", n("recipients")))
    assert call.kwargs == (("channel", s("mail")), (None, n("options")))


def test_expression_statement_calls_are_calls_not_effects() -> None:
    module = flow_of("audit(order)\norder.total\n").scopes[0]
    assert module.calls == (0,)
    assert module.effects == ((("a", n("order"), "total"), 2),)


# --- expressions --------------------------------------------------------------------------------

LONG = "x" * 100


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ('"csv"', s("csv")),
        ("'handler name'", s("handler name")),
        ("42", i(42)),
        ("0x10", i(16)),
        ("1_000", i(1000)),
        ("-1", ("op", "__neg__", i(1), None)),
        ("1.5", ("T", "float")),
        ("2j", ("T", "complex")),
        ('b"raw"', ("T", "bytes")),
        (f'"{LONG}"', ("T", "str")),
        ("True", ("T", "bool")),
        ("None", NOTHING),
        # f-strings: ("fmt", parts) when every field is plain.
        ('f"handle_{kind}"', ("fmt", (s("handle_"), n("kind")))),
        ('f"{module}.{name}"', ("fmt", (n("module"), s("."), n("name")))),
        ('f"{kind!r}"', ("T", "str")),
        ('f"{amount:>10}"', ("T", "str")),
        ('f"{{literal}} {kind}"', ("T", "str")),
        ('f"a{x}b{x}c{x}d{x}e"', ("T", "str")),  # more than 8 parts
        # Containers, with their allocation site.
        ("[a, *rest]", ("L", "list", 1, (n("a"), ("*", n("rest"))))),
        ("(a, b)", ("L", "tuple", 1, (n("a"), n("b")))),
        ("{a}", ("L", "set", 1, (n("a"),))),
        ("[f(x) for x in xs]", ("L", "list", 1, (("*e", ("c", 0)),))),
        ("{h for h in hs}", ("L", "set", 1, (("*e", n("h")),))),
        ("(h for h in hs)", ("L", "gen", 1, (("*e", n("h")),))),
        (
            '{"csv": to_csv, 1: one, key: other, **extra}',
            ("D", 1, (("csv", n("to_csv")), (1, n("one")), (None, n("other")), ("**", n("extra")))),
        ),
        ("{k: f for k in ks}", ("D", 1, ((None, n("f")),))),
        (
            "[[a], [b]]",
            ("L", "list", 1, (("L", "list", 2, (n("a"),)), ("L", "list", 3, (n("b"),)))),
        ),
        # Operators.
        ("a + b", ("op", "__add__", n("a"), n("b"))),
        ("a @ b", ("op", "__matmul__", n("a"), n("b"))),
        ("~a", ("op", "__invert__", n("a"), None)),
        ("not a", ("not", n("a"))),
        ("a or b", ("o", (n("a"), n("b")))),
        ("a and b", ("o", (n("a"), n("b")))),
        ("a if ok else b", ("o", (n("a"), n("b")))),
        ("a == b", ("o", (("op", "__eq__", n("a"), n("b")), ("T", "bool")))),
        (
            "a < b <= c",
            (
                "o",
                (("op", "__lt__", n("a"), n("b")), ("op", "__le__", n("b"), n("c")), ("T", "bool")),
            ),
        ),
        ("a in b", ("o", (("op", "__contains__", n("b"), n("a")), ("T", "bool")))),
        ("a not in b", ("o", (("op", "__contains__", n("b"), n("a")), ("T", "bool")))),
        ("a is b", ("T", "bool")),
        # Attributes, subscripts, definitions.
        ("repo.save", ("a", n("repo"), "save")),
        ('HANDLERS["csv"]', ("s", n("HANDLERS"), "csv")),
        ("HANDLERS[kind]", ("s", n("HANDLERS"), None, n("kind"))),
        ("STEPS[1:]", ("s", n("STEPS"), (":", 1, None))),
        ("lambda: 1", ("F", "wrapper.<lambda1>")),
        ("await fetch()", ("c", 0)),
    ],
)
def test_expressions(expression: str, value: Expr) -> None:
    code = f"async def wrapper():\n    value = {expression}\n"
    wrapper = scope_of(flow_of(code), "wrapper")
    assert [v for t, v, _ in wrapper.assigns if t == n("value")] == [value]


def test_implicitly_concatenated_literal_keeps_its_value() -> None:
    assert value_of('"on_" "save"') == s("on_save")


def test_f_string_fields_are_evaluated_for_their_calls() -> None:
    facts = flow_of('label = f"{user.name()} ({count})"\n')
    module = facts.scopes[0]
    assert [c.func for c in facts.calls] == [("a", n("user"), "name")]
    assert [e for e, _ in module.effects] == [("c", 0), n("count")]
    assert module.assigns[0][1] == ("fmt", (("c", 0), s(" ("), n("count"), s(")")))


def test_computed_dict_keys_and_conditional_tests_are_effects() -> None:
    module = flow_of("table = {make_key(): handler}\nchoice = a if check() else b\n").scopes[0]
    assert [e for e, _ in module.effects] == [("c", 0), ("c", 1)]


@pytest.mark.parametrize(
    ("statement", "effect"),
    [
        ("raise NotFound", ("raise", n("NotFound"))),
        ("raise NotFound(key) from error", ("raise", ("c", 0))),
        ("assert ready", n("ready")),
        ("while pending:\n    pass", n("pending")),
        ("if ready:\n    pass", n("ready")),
        ("order.total", ("a", n("order"), "total")),
        ("a + b", ("op", "__add__", n("a"), n("b"))),
    ],
)
def test_effects(statement: str, effect: Expr) -> None:
    module = flow_of(statement + "\n").scopes[0]
    assert (effect, 1) in module.effects


# --- referenced names and global declarations ---------------------------------------------------

REFERENCES = """
import os
from app import handlers

def save_order(order):
    handler = getattr(handlers, "on_save")
    handler(order.total)
    setattr(order, "status", "saved order")
    return os.path.join(BASE, "orders")

class Unused:
    def never_named(self):
        pass
"""


@pytest.mark.parametrize(
    ("name", "referenced"),
    [
        ("getattr", True),
        ("handlers", True),
        ("on_save", True),  # an identifier-like string constant
        ("order", True),
        ("total", True),  # an attribute
        ("path", True),
        ("join", True),
        ("BASE", True),
        ("status", True),
        ("orders", True),
        ("saved order", False),  # not identifier-like
        ("handler", True),
        ("save_order", False),  # defined, never read
        ("Unused", False),
        ("never_named", False),
        ("os", True),
    ],
)
def test_referenced_names(name: str, referenced: bool) -> None:
    assert (name in flow_of(REFERENCES).referenced) is referenced


def test_long_strings_are_not_referenced() -> None:
    name = "a" * 90
    assert name not in flow_of(f'lookup("{name}")').referenced


def test_global_and_nonlocal_declarations() -> None:
    facts = flow_of(
        """
        REGISTRY = {}

        def reset():
            global REGISTRY, counter
            REGISTRY = {}
            counter = 0
            cache = []

        def outer():
            total = 0
            def add():
                nonlocal total
                total = 1
                seen = True
            return add
        """
    )
    reset = scope_of(facts, "reset")
    assert reset.global_names == ("REGISTRY", "counter")
    assert reset.local_names == ("cache",)
    assert (n("REGISTRY"), ("D", 2, ()), 5) in reset.assigns  # still recorded, resolved globally
    add = scope_of(facts, "outer.add")
    assert add.global_names == ()
    assert add.local_names == ("seen",)
    assert scope_of(facts, "outer").local_names == ("add", "total")


def test_function_local_imports_are_local_names() -> None:
    facts = flow_of("def load():\n    import json\n    from app.codecs import decode as dec\n")
    assert scope_of(facts, "load").local_names == ("dec", "json")


LITERALS = [
    '"plain"',
    "'single'",
    '""',
    "''",
    '""""""',
    '"""a "quoted" word"""',
    "'''two\nlines'''",
    '""""leading quote"""',
    'u"unicode"',
    'R"raw"',
    'r"\\d+"',
    '"\\n escaped"',
    'b"bytes"',
    'Rb"raw bytes"',
    '"é and 漢字"',
    '"""crlf\r\nline"""',
    '"a" "b"',
    "'x' f'{y}'",
    '"a" r"\\b" u"c"',
]


@pytest.mark.parametrize("literal", LITERALS)
def test_string_values_are_those_libcst_evaluates(literal: str) -> None:
    node = cst.parse_expression(literal)
    assert isinstance(node, cst.SimpleString | cst.ConcatenatedString)
    found, expected = string_value(node), node.evaluated_value
    assert (type(found), found) == (type(expected), expected)
