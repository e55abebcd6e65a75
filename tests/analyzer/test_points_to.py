"""PointsToSolver, feature by feature, through the call graph it produces (analyzer.calls)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analyzer.calls import CallGraph
from analyzer.points_to import MAX_LITERALS, MAX_VALUES
from tests.trees import analyze_tree

REPO_ROOT = Path(__file__).resolve().parents[2]


def solve(tmp_path: Path, files: dict[str, str] | str) -> CallGraph:
    """The call graph of a tree; a single source is the module `app` (app.py)."""
    tree = {"app.py": files} if isinstance(files, str) else files
    return analyze_tree(tmp_path, tree).calls


def callees(graph: CallGraph, caller: str) -> list[str]:
    adjacency = graph.adjacency()
    assert caller in adjacency, sorted(adjacency)
    return adjacency[caller]


# --- receivers, bound methods and self ----------------------------------------------------------

TEMPLATE = """
class Job:
    def run(self):
        self.prepare()
        return self.step()

    def prepare(self):
        return "ready"

    def step(self):
        return "base"

class ExportJob(Job):
    def step(self):
        return "export"

class ImportJob(Job):
    def step(self):
        return "import"

def main():
    ExportJob().run()
"""


def test_template_method_reaches_only_the_instantiated_subclass(tmp_path: Path) -> None:
    graph = solve(tmp_path, TEMPLATE)
    # The receiver flows into `self`: Job.run's `self` is an ExportJob, never a bare Job, so
    # the hint `self: Job` is not used and neither Job.step nor ImportJob.step is reached.
    assert callees(graph, "app.Job.run") == ["app.ExportJob.step", "app.Job.prepare"]
    assert callees(graph, "app.main") == ["app.Job.run"]
    assert "app.Job.step" not in graph.adjacency()
    assert "app.ImportJob.step" not in graph.adjacency()


def test_self_hint_is_the_fallback_when_no_instance_flows_in(tmp_path: Path) -> None:
    # No subclass is ever instantiated: `self` falls back to its class.
    graph = solve(tmp_path, TEMPLATE.replace("ExportJob().run()", "Job.run(make_job())"))
    assert "app.Job.step" in callees(graph, "app.Job.run")


def test_bound_method_stored_in_a_variable_keeps_its_receiver(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Repository:
            def save(self, item):
                return self.validate(item)

            def validate(self, item):
                return item

        class StrictRepository(Repository):
            def validate(self, item):
                return item

        def main(items):
            save = StrictRepository().save
            for item in items:
                save(item)
        """,
    )
    assert callees(graph, "app.main") == ["app.Repository.save"]
    assert callees(graph, "app.Repository.save") == ["app.StrictRepository.validate"]


def test_classmethod_factory_instantiates_the_class_it_is_called_on(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Repository:
            def __init__(self, dsn):
                self.dsn = dsn

            @classmethod
            def from_url(cls, url):
                return cls(url)

            @staticmethod
            def parse(url):
                return url

        class CachedRepository(Repository):
            def __init__(self, dsn):
                super().__init__(dsn)

        def main():
            CachedRepository.from_url(Repository.parse("sqlite://"))
        """,
    )
    assert callees(graph, "app.main") == ["app.Repository.from_url", "app.Repository.parse"]
    assert callees(graph, "app.Repository.from_url") == ["app.CachedRepository.__init__"]


# --- hints are fallbacks ------------------------------------------------------------------------

REPOSITORIES = """
class Repository:
    def save(self, item):
        return item

class SqlRepository(Repository):
    def save(self, item):
        return item

def store(repo: Repository, item):
    return repo.save(item)
"""


def test_parameter_annotation_is_used_when_nothing_flows_in(tmp_path: Path) -> None:
    graph = solve(tmp_path, REPOSITORIES)
    assert callees(graph, "app.store") == ["app.Repository.save"]


def test_parameter_annotation_is_ignored_when_an_instance_flows_in(tmp_path: Path) -> None:
    graph = solve(tmp_path, REPOSITORIES + "\ndef main():\n    store(SqlRepository(), 1)\n")
    assert callees(graph, "app.store") == ["app.SqlRepository.save"]


def test_self_hint_is_not_used_when_an_annotated_receiver_flows_in(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        TEMPLATE.replace(
            "def main():\n    ExportJob().run()", "def main(job: ExportJob):\n    job.run()"
        ),
    )
    assert callees(graph, "app.Job.run") == ["app.ExportJob.step", "app.Job.prepare"]


def test_attribute_and_return_annotations_are_fallbacks(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        REPOSITORIES
        + """
class OrderService:
    def __init__(self):
        self.repo: Repository

    def place(self, order):
        return self.repo.save(order)

def current_repo() -> "SqlRepository":
    ...

def checkout(order):
    current_repo().save(order)
    OrderService().place(order)
""",
    )
    assert callees(graph, "app.OrderService.place") == ["app.Repository.save"]
    assert callees(graph, "app.checkout") == [
        "app.OrderService.__init__",
        "app.OrderService.place",
        "app.SqlRepository.save",
        "app.current_repo",
    ]


# --- arguments, defaults and returns ------------------------------------------------------------

LOADERS = """
def load_csv(path):
    return path

def load_json(path):
    return path

def load(path, loader=load_csv):
    return loader(path)

def main():
{calls}
"""


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (['load("a.csv")'], ["app.load_csv"]),
        (['load("a.json", load_json)'], ["app.load_json"]),
        (['load("a.json", loader=load_json)'], ["app.load_json"]),
        (['load("a.csv")', 'load("a.json", load_json)'], ["app.load_csv", "app.load_json"]),
        # A spread may leave `loader` out: the default applies too.
        (['load(*["a.json", load_json])'], ["app.load_csv", "app.load_json"]),
    ],
)
def test_defaults_apply_to_calls_that_omit_the_argument(
    tmp_path: Path, calls: list[str], expected: list[str]
) -> None:
    source = LOADERS.format(calls="\n".join("    " + c for c in calls))
    assert callees(solve(tmp_path, source), "app.load") == expected


def test_registering_decorator_returns_each_function_it_was_given(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        HANDLERS = []

        def register(func):
            HANDLERS.append(func)
            return func

        @register
        def create_user():
            return 1

        @register
        def delete_user():
            return 2

        def main():
            create_user()
        """,
    )
    assert callees(graph, "app.main") == ["app.create_user"]
    assert callees(graph, "app") == ["app.register"]


def test_wrapping_decorator_makes_the_name_the_wrapper(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def logged(func):
            def wrapper(*args):
                return func(*args)
            return wrapper

        @logged
        def charge(amount):
            return amount

        def main():
            charge(3)
        """,
    )
    assert callees(graph, "app.main") == ["app.logged.wrapper"]
    assert callees(graph, "app.logged.wrapper") == ["app.charge"]


def test_external_decorator_keeps_the_function_and_makes_it_an_entry(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        import functools
        from flask import Flask

        app = Flask(__name__)

        @functools.lru_cache(maxsize=None)
        def settings():
            return {}

        @app.route("/orders")
        def list_orders():
            return settings()
        """,
    )
    assert callees(graph, "app.list_orders") == ["app.settings"]
    assert "app.list_orders" in graph.entries
    assert "functools.lru_cache" in callees(graph, "app")


def test_closure_returned_by_a_factory(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def make_handler(prefix):
            def handle(event):
                return prefix + event
            return handle

        def main():
            make_handler("order:")("created")
        """,
    )
    assert callees(graph, "app.main") == ["app.make_handler", "app.make_handler.handle"]


def test_tuple_unpacking_and_slices_keep_positions(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def validate(order): pass
        def enrich(order): pass
        def persist(order): pass
        def notify(order): pass

        PIPELINE = [validate, enrich, persist, notify]

        def first_step(order):
            first, *middle, last = PIPELINE
            first(order)

        def sliced_step(order):
            head, tail = PIPELINE[1:3]
            tail(order)

        def last_step(order):
            PIPELINE[-1](order)
        """,
    )
    assert callees(graph, "app.first_step") == ["app.validate"]
    assert callees(graph, "app.sliced_step") == ["app.persist"]
    assert callees(graph, "app.last_step") == ["app.notify"]


# --- dispatch tables and literal keys -----------------------------------------------------------


def test_dict_dispatch_with_constant_keys_reaches_only_those_keys(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def export_csv(rows):
            return rows

        def export_json(rows):
            return rows

        def export_xml(rows):
            return rows

        EXPORTERS = {"csv": export_csv, "json": export_json, "xml": export_xml}

        def export(kind, rows):
            return EXPORTERS[kind](rows)

        def main():
            export("csv", [])
            export("json", [])
        """,
    )
    assert callees(graph, "app.export") == ["app.export_csv", "app.export_json"]


def test_dict_get_with_unknown_key_reaches_every_value(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        import sys

        def start(): pass
        def stop(): pass

        COMMANDS = {"start": start, "stop": stop}

        def main():
            COMMANDS.get(sys.argv[1], start)()
        """,
    )
    assert callees(graph, "app.main") == ["<**PyDict**>.get", "app.start", "app.stop"]


def dispatch_tree(kinds: int) -> str:
    """`kinds + 1` handlers in a table, dispatched with `kinds` different constant keys."""
    handlers = "".join(f"def handle_{k}(event):\n    return event\n\n" for k in range(kinds + 1))
    table = ", ".join(f'"k{k}": handle_{k}' for k in range(kinds + 1))
    calls = "".join(f'    dispatch("k{k}", None)\n' for k in range(kinds))
    return (
        f"{handlers}HANDLERS = {{{table}}}\n\n"
        "def dispatch(kind, event):\n    return HANDLERS[kind](event)\n\n"
        f"def main():\n{calls}"
    )


@pytest.mark.parametrize(
    ("kinds", "reached"),
    [
        (MAX_LITERALS, MAX_LITERALS),  # every constant kept: the last handler is not reached
        (MAX_LITERALS + 1, MAX_LITERALS + 2),  # widened to "a str": every key
    ],
)
def test_too_many_literal_keys_widen_to_every_key(tmp_path: Path, kinds: int, reached: int) -> None:
    graph = solve(tmp_path, dispatch_tree(kinds))
    assert len(callees(graph, "app.dispatch")) == reached


def fan_in_tree(jobs: int) -> str:
    """`jobs` functions all passed to one `run(job)` that calls its argument."""
    defs = "".join(f"def job_{j}():\n    return {j}\n\n" for j in range(jobs))
    calls = "".join(f"    run(job_{j})\n" for j in range(jobs))
    return f"{defs}def run(job):\n    return job()\n\ndef main():\n{calls}"


def test_a_location_up_to_the_cap_keeps_every_value(tmp_path: Path) -> None:
    graph = solve(tmp_path, fan_in_tree(MAX_VALUES))
    assert len(callees(graph, "app.run")) == MAX_VALUES
    assert graph.sites.unresolved == 0


def test_a_location_over_the_cap_becomes_unknown(tmp_path: Path) -> None:
    graph = solve(tmp_path, fan_in_tree(MAX_VALUES + 1))
    assert callees(graph, "app.run") == []
    assert graph.sites.unresolved == 1  # `job()`
    assert graph.sites.internal == MAX_VALUES + 1  # each `run(job_N)`
    assert not any(c.caller == "app.run" for c in graph.calls)


def test_a_location_that_grows_over_the_cap_late_still_becomes_unknown(tmp_path: Path) -> None:
    # Most of the cap's worth of functions flow into `run` at once; the rest, callable
    # instances, only when the annotation of `late` is used as a fallback, after a fixpoint.
    early = MAX_VALUES * 3 // 4
    late = MAX_VALUES + 1 - early
    source = fan_in_tree(early)
    source += "".join(
        f"\nclass Job{j}:\n    def __call__(self):\n        pass\n" for j in range(late)
    )
    union = " | ".join(f"Job{j}" for j in range(late))
    source += f"\ndef schedule_late(job: {union}):\n    run(job)\n"
    graph = solve(tmp_path, source)
    assert callees(graph, "app.run") == []
    assert graph.sites.unresolved == 1


def test_the_cap_applies_in_a_module_named_keys(tmp_path: Path) -> None:
    defs = "".join(f"def job_{j}():\n    return {j}\n\n" for j in range(MAX_VALUES + 1))
    assigns = "".join(f"handler = job_{j}\n" for j in range(MAX_VALUES + 1))
    graph = solve(tmp_path, {"keys.py": f"{defs}{assigns}handler()\n"})
    assert callees(graph, "keys") == []
    assert graph.sites.unresolved == 1


# --- builtins, builtin types and outside code ---------------------------------------------------


def test_outside_names_are_named_by_their_import_path(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        import os.path
        import requests
        import xml.etree.ElementTree as ET
        from collections import OrderedDict
        from json import dumps as to_json

        def fetch(url):
            response = requests.get(url, timeout=5)
            path = os.path.join("cache", url)
            tree = ET.parse(path)
            return to_json(OrderedDict(response=response, tree=tree))
        """,
    )
    assert callees(graph, "app.fetch") == [
        "collections.OrderedDict",
        "json.dumps",
        "os.path.join",
        "requests.get",
        "xml.etree.ElementTree.parse",
    ]
    assert graph.sites.external == 5


def test_calls_on_outside_objects_count_as_external_without_edges(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        import requests

        def fetch(url):
            return requests.get(url).json().get("items")
        """,
    )
    assert callees(graph, "app.fetch") == ["requests.get"]
    assert (graph.sites.external, graph.sites.unresolved) == (3, 0)


def test_builtins_and_builtin_type_methods(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def report(orders):
            names = []
            seen = set()
            totals = {}
            for order in orders:
                names.append(str(order))
                seen.add(len(names))
            title = ", ".join(names).upper()
            header = "id;total".split(";")
            header.append(title.strip())
            print(title, sorted(totals.items()))
            return b"ok".decode().lower()
        """,
    )
    assert callees(graph, "app.report") == [
        "<**PyBytes**>.decode",
        "<**PyDict**>.items",
        "<**PyList**>.append",
        "<**PySet**>.add",
        "<**PyStr**>.join",
        "<**PyStr**>.lower",
        "<**PyStr**>.split",
        "<**PyStr**>.strip",
        "<**PyStr**>.upper",
        "<builtin>.len",
        "<builtin>.print",
        "<builtin>.set",
        "<builtin>.sorted",
        "<builtin>.str",
    ]
    assert graph.sites.unresolved == 0


@pytest.mark.parametrize(
    "call",
    ['"total".no_such_method()', "[1, 2].push(3)", "{}.iteritems()", "(1, 2).append(3)"],
)
def test_missing_builtin_type_method_is_no_edge(tmp_path: Path, call: str) -> None:
    graph = solve(tmp_path, f"def report():\n    return {call}\n\nreport()\n")
    assert callees(graph, "app.report") == []
    assert graph.sites.unresolved == 1


def test_builtins_that_call_their_arguments(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def by_date(order):
            return order

        def normalize(order):
            return order

        def is_paid(order):
            return True

        def main(orders):
            ordered = sorted(orders, key=by_date)
            return list(map(normalize, filter(is_paid, ordered)))
        """,
    )
    assert callees(graph, "app.main") == [
        "<builtin>.filter",
        "<builtin>.list",
        "<builtin>.map",
        "<builtin>.sorted",
        "app.by_date",
        "app.is_paid",
        "app.normalize",
    ]


def test_functools_partial_calls_the_wrapped_function(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        from functools import partial

        def send(channel, message):
            return message

        def main():
            send_mail = partial(send, "mail")
            send_mail("hello")
        """,
    )
    assert callees(graph, "app.main") == ["app.send", "functools.partial"]


# --- classes: instantiation, super(), MRO -------------------------------------------------------


def test_instantiation_calls_new_and_init_along_the_mro(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Model:
            def __new__(cls, *args):
                return super().__new__(cls)

            def __init__(self, name):
                self.name = name

        class Order(Model):
            pass

        class Plain:
            pass

        def main():
            Order("o-1")
            Plain()
        """,
    )
    assert callees(graph, "app.main") == ["app.Model.__init__", "app.Model.__new__"]
    instantiated = {c.callee for c in graph.calls if c.caller == "app.main" and c.instantiates}
    assert instantiated == {"app.Order", "app.Plain"}


def test_super_chain(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Base:
            def __init__(self, name):
                self.name = name

            def save(self):
                return self.name

        class Audited(Base):
            def save(self):
                return super().save()

        class Order(Audited):
            def __init__(self, name):
                super(Order, self).__init__(name)

            def save(self):
                return super().save()

        def main():
            Order("o-1").save()
        """,
    )
    assert callees(graph, "app.main") == ["app.Order.__init__", "app.Order.save"]
    assert callees(graph, "app.Order.__init__") == ["<builtin>.super", "app.Base.__init__"]
    assert callees(graph, "app.Order.save") == ["<builtin>.super", "app.Audited.save"]
    assert callees(graph, "app.Audited.save") == ["<builtin>.super", "app.Base.save"]


DIAMOND = """
class Storage:
    def write(self, data):
        return data

class Cached(Storage):
{cached}

class Logged(Storage):
    def write(self, data):
        return super().write(data)

class Service(Cached, Logged):
    pass

def main():
    Service().write(1)
"""


def test_c3_mro_in_a_diamond_prefers_the_sibling_over_the_shared_base(tmp_path: Path) -> None:
    # Service, Cached, Logged, Storage: a depth-first order would find Storage.write first.
    graph = solve(tmp_path, DIAMOND.format(cached="    pass"))
    assert callees(graph, "app.main") == ["app.Logged.write"]
    assert "app.Storage.write" in callees(graph, "app.Logged.write")


CYCLIC_BASES = {
    "app/__init__.py": "",
    "app/a.py": "from app import b\n\nclass Alpha(b.Beta):\n    pass\n",
    "app/b.py": "from app import c\n\nclass Beta(c.Gamma):\n    pass\n",
    "app/c.py": "from app import a\n\nclass Gamma(a.Alpha):\n    pass\n",
}


@pytest.mark.parametrize("first", ["Alpha", "Beta", "Gamma"])
def test_a_cycle_of_bases_is_cut_the_same_way_whichever_class_is_used_first(
    tmp_path: Path, first: str
) -> None:
    # Bases that form a cycle (a circular import) cannot all be linearized. The cycle is cut
    # at the edge back to where a walk from the least class name started, so the MROs do not
    # depend on which class the solver met first (in a big tree, on string hashing).
    main = "from app.a import Alpha\nfrom app.b import Beta\nfrom app.c import Gamma\n\n"
    main += f"def main():\n    {first}()\n"
    classes = solve(tmp_path, {**CYCLIC_BASES, "app/main.py": main}).classes
    assert {name: classes[name] for name in ("app.a.Alpha", "app.b.Beta", "app.c.Gamma")} == {
        "app.a.Alpha": ("app.a.Alpha", "app.b.Beta", "app.c.Gamma"),
        "app.b.Beta": ("app.b.Beta", "app.c.Gamma", "app.a.Alpha"),
        "app.c.Gamma": ("app.c.Gamma", "app.a.Alpha"),
    }


def test_super_in_a_diamond_follows_the_receivers_mro(tmp_path: Path) -> None:
    cached = "    def write(self, data):\n        return super().write(data)"
    graph = solve(tmp_path, DIAMOND.format(cached=cached))
    assert callees(graph, "app.main") == ["app.Cached.write"]
    # super() in Cached, on a Service, is Logged (next in Service's MRO), not Storage.
    assert callees(graph, "app.Cached.write") == ["<builtin>.super", "app.Logged.write"]
    assert callees(graph, "app.Logged.write") == ["<builtin>.super", "app.Storage.write"]


# --- descriptors and dunders --------------------------------------------------------------------

ACCOUNT = """
class Account:
    def __init__(self):
        self._balance = 0

    @property
    def balance(self):
        return self._load()

    @balance.setter
    def balance(self, value):
        self._store(value)

    def _load(self):
        return self._balance

    def _store(self, value):
        self._balance = value

class SavingsAccount(Account):
    def _load(self):
        return 0

    def _store(self, value):
        pass

def main():
    account = SavingsAccount()
{body}
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The receiver reaches only the accessor called; the other keeps its `self` hint.
        ("shown = account.balance", ["app.Account._store", "app.SavingsAccount._load"]),
        ("account.balance = 10", ["app.Account._load", "app.SavingsAccount._store"]),
        (
            "account.balance = account.balance + 1",
            ["app.SavingsAccount._load", "app.SavingsAccount._store"],
        ),
    ],
)
def test_properties_call_getter_and_setter(tmp_path: Path, body: str, expected: list[str]) -> None:
    graph = solve(tmp_path, ACCOUNT.format(body="    " + body))
    assert callees(graph, "app.main") == ["app.Account.__init__", "app.Account.balance"]
    # The getter and the setter are both shown as `Account.balance`.
    assert callees(graph, "app.Account.balance") == expected


def test_property_read_through_the_class_is_not_a_call(tmp_path: Path) -> None:
    graph = solve(tmp_path, ACCOUNT.format(body="    return SavingsAccount.balance"))
    assert callees(graph, "app.main") == ["app.Account.__init__"]


def test_callable_instance_calls_dunder_call(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class EmailValidator:
            def __call__(self, value):
                return self.check(value)

            def check(self, value):
                return value

        VALIDATORS = [EmailValidator()]

        def validate(value):
            for validator in VALIDATORS:
                validator(value)
        """,
    )
    assert callees(graph, "app.validate") == ["app.EmailValidator.__call__"]
    assert callees(graph, "app.EmailValidator.__call__") == ["app.EmailValidator.check"]


MONEY = """
class Money:
    def __add__(self, other):
        return Money()

    def __iadd__(self, other):
        return self

    def __neg__(self):
        return Money()

    def __eq__(self, other):
        return True

    def __lt__(self, other):
        return True

    def __contains__(self, currency):
        return True

    def __getitem__(self, currency):
        return 1

    def __setitem__(self, currency, amount):
        pass

    def __len__(self):
        return 1

    def __str__(self):
        return "money"

    def __hash__(self):
        return 1

class Price:
    def __add__(self, other):
        return Price()

def main(total: Money, other: Money, price: Price):
{body}
"""


@pytest.mark.parametrize(
    ("body", "dunders"),
    [
        ("total + other", ["__add__"]),
        ("total += other", ["__iadd__"]),
        ("price += price", ["Price.__add__"]),  # falls back to __add__
        ("-total", ["__neg__"]),
        ("total == other", ["__eq__"]),
        ("total < other", ["__lt__"]),
        ('"usd" in total', ["__contains__"]),
        ('total["usd"]', ["__getitem__"]),
        ('total["usd"] = 3', ["__setitem__"]),
        ("len(total)", ["<builtin>.len", "__len__"]),
        ("str(total)", ["<builtin>.str", "__str__"]),
        ("hash(total)", ["<builtin>.hash", "__hash__"]),
        ("(total + other) + other", ["__add__"]),
        ("1 + 2", []),
    ],
)
def test_operators_call_dunders(tmp_path: Path, body: str, dunders: list[str]) -> None:
    graph = solve(tmp_path, MONEY.format(body="    " + body))
    expected = sorted(d if d.startswith(("<", "Price")) else f"Money.{d}" for d in dunders)
    shown = [c.removeprefix("app.") for c in graph.adjacency().get("app.main", [])]
    assert shown == expected


def test_with_calls_enter_and_exit_and_binds_what_enter_returns(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Connection:
            def commit(self):
                pass

        class Transaction:
            def __enter__(self):
                return Connection()

            def __exit__(self, *exc):
                return False

        def main():
            with Transaction() as connection:
                connection.commit()
        """,
    )
    assert callees(graph, "app.main") == [
        "app.Connection.commit",
        "app.Transaction.__enter__",
        "app.Transaction.__exit__",
    ]


def test_with_on_a_contextmanager_generator_binds_what_it_yields(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        from contextlib import contextmanager

        class Session:
            def query(self):
                return []

        @contextmanager
        def session_scope():
            yield Session()

        def main():
            with session_scope() as session:
                session.query()
        """,
    )
    assert callees(graph, "app.main") == ["app.Session.query", "app.session_scope"]


def test_iteration_calls_iter_and_next(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Row:
            def values(self):
                return []

        class Cursor:
            def __iter__(self):
                return self

            def __next__(self):
                return Row()

        def main():
            for row in Cursor():
                row.values()
        """,
    )
    assert callees(graph, "app.main") == [
        "app.Cursor.__iter__",
        "app.Cursor.__next__",
        "app.Row.values",
    ]


def test_generators_yield_what_the_loop_gets(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class Report:
            def render(self):
                return ""

        def build_reports(orders):
            for order in orders:
                yield Report()

        def reports_from(orders):
            yield from build_reports(orders)

        def publish(orders):
            reports = reports_from(orders)
            for report in reports:
                report.render()
        """,
    )
    # Calling a generator function is an edge from the scope that calls it.
    assert callees(graph, "app.publish") == ["app.Report.render", "app.reports_from"]
    assert callees(graph, "app.reports_from") == ["app.build_reports"]


def test_except_clause_reaches_overrides_of_subclasses(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class AppError(Exception):
            def report(self):
                return "app"

        class NotFound(AppError):
            def report(self):
                return "404"

        class PaymentError(Exception):
            def report(self):
                return "402"

        def handle(action):
            try:
                action()
            except AppError as error:
                error.report()
        """,
    )
    assert callees(graph, "app.handle") == ["app.AppError.report", "app.NotFound.report"]


def test_raising_a_class_instantiates_it(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        class NotFound(Exception):
            def __init__(self, key=None):
                super().__init__(key)

        def find(key):
            raise NotFound
        """,
    )
    assert callees(graph, "app.find") == ["app.NotFound.__init__"]


# --- modules: star imports, re-exports ----------------------------------------------------------


def test_star_import_binds_the_names_in_all(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/helpers.py": """
                __all__ = ["slugify"]

                def slugify(text):
                    return text

                def normalize(text):
                    return text
            """,
            "app/views.py": """
                from app.helpers import *

                def render(title):
                    slugify(title)
                    normalize(title)
            """,
        },
    )
    assert callees(graph, "app.views.render") == ["app.helpers.slugify"]
    assert graph.sites.unresolved == 1  # normalize, not exported


def test_star_import_without_all_binds_public_names(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/helpers.py": """
                def slugify(text):
                    return text

                def _normalize(text):
                    return text
            """,
            "app/views.py": """
                from app.helpers import *

                def render(title):
                    slugify(title)
                    _normalize(title)
            """,
        },
    )
    assert callees(graph, "app.views.render") == ["app.helpers.slugify"]
    assert graph.sites.unresolved == 1


def test_re_exports_through_package_init_reach_the_defining_module(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/billing/__init__.py": "from .invoices import *\nfrom . import taxes\n",
            "app/billing/invoices.py": "def issue_invoice(order):\n    return order\n",
            "app/billing/taxes.py": "def vat(amount):\n    return amount\n",
            "app/orders.py": """
                import app.billing
                from app.billing import issue_invoice, taxes

                def checkout(order):
                    issue_invoice(order)
                    app.billing.issue_invoice(order)
                    taxes.vat(1)
                    app.billing.taxes.vat(2)
            """,
        },
    )
    assert callees(graph, "app.orders.checkout") == [
        "app.billing.invoices.issue_invoice",
        "app.billing.taxes.vat",
    ]
    assert graph.module_call_counts()[("app.orders", "app.billing.invoices")] == 2


def test_function_attributes(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def audit(event):
            return event

        def create_user(name):
            return name

        create_user.hook = audit

        def main():
            create_user.hook("created")
        """,
    )
    assert callees(graph, "app.main") == ["app.audit"]


# --- constants: conditions, strings, getattr, import_module, globals() ---------------------------

WRITERS = """
def to_csv(rows):
    return rows

def to_json(rows):
    return rows

def to_text(rows):
    return rows

def pick_writer(fmt):
{body}

def main():
{calls}
"""

EARLY_RETURN = 'if fmt == "csv":\n    return to_csv\nreturn to_json'
ELSE_BRANCH = 'if fmt != "csv":\n    return to_json\nelse:\n    return to_csv'
PREDICATE = 'if fmt.endswith(".csv"):\n    return to_csv\nreturn to_json'


@pytest.mark.parametrize(
    ("body", "calls", "expected"),
    [
        (EARLY_RETURN, ['"csv"'], ["app.to_csv"]),
        (EARLY_RETURN, ['"json"'], ["app.to_json"]),
        (EARLY_RETURN, ['"csv"', '"json"'], ["app.to_csv", "app.to_json"]),
        (EARLY_RETURN, ["input()"], ["app.to_csv", "app.to_json"]),  # not a constant
        (ELSE_BRANCH, ['"csv"'], ["app.to_csv"]),
        (ELSE_BRANCH, ['"xml"'], ["app.to_json"]),
        (PREDICATE, ['"orders.csv"'], ["app.to_csv"]),
        (PREDICATE, ['"orders.json"'], ["app.to_json"]),
    ],
)
def test_constant_conditions_prune_returns(
    tmp_path: Path, body: str, calls: list[str], expected: list[str]
) -> None:
    source = WRITERS.format(
        body=textwrap.indent(body, "    "),
        calls="".join(f"    pick_writer({arg})([])\n" for arg in calls),
    )
    graph = solve(tmp_path, source)
    assert [c for c in callees(graph, "app.main") if c.startswith("app.to_")] == expected


def test_returns_of_a_function_never_called_with_constants_are_all_possible(
    tmp_path: Path,
) -> None:
    source = WRITERS.format(body=textwrap.indent(EARLY_RETURN, "    "), calls="    pass")
    source += "\nfor writer in [pick_writer]:\n    writer(None)([])\n"
    graph = solve(tmp_path, source)
    assert callees(graph, "app") == ["app.pick_writer", "app.to_csv", "app.to_json"]


HANDLERS = """
class Handlers:
    def on_create(self):
        return 1

    def on_delete(self):
        return 2

def dispatch(action):
    handler = getattr(Handlers(), {name})
    return handler()

def main():
    dispatch("create")
"""


@pytest.mark.parametrize(
    "name",
    ['"on_create"', '"on_" + action', 'f"on_{action}"', '"on" + "_" + action'],
)
def test_constant_strings_feed_getattr(tmp_path: Path, name: str) -> None:
    graph = solve(tmp_path, HANDLERS.format(name=name))
    assert callees(graph, "app.dispatch") == ["<builtin>.getattr", "app.Handlers.on_create"]


def test_computed_getattr_is_unresolved(tmp_path: Path) -> None:
    graph = solve(tmp_path, HANDLERS.format(name="action.strip()"))
    assert callees(graph, "app.dispatch") == ["<**PyStr**>.strip", "<builtin>.getattr"]
    assert graph.sites.unresolved == 1


def test_implicitly_concatenated_name_feeds_getattr(tmp_path: Path) -> None:
    graph = solve(tmp_path, HANDLERS.format(name='"on_" "create"'))
    assert callees(graph, "app.dispatch") == ["<builtin>.getattr", "app.Handlers.on_create"]


PLUGINS = {
    "app/__init__.py": "",
    "app/plugins/__init__.py": "",
    "app/plugins/csv_plugin.py": "def load():\n    return 'csv'\n",
    "app/plugins/xml_plugin.py": "def load():\n    return 'xml'\n",
}


@pytest.mark.parametrize(
    "path",
    [
        '"app.plugins.csv_plugin"',
        '"app.plugins." + name + "_plugin"',
        'f"app.plugins.{name}_plugin"',
    ],
)
def test_constant_strings_feed_import_module(tmp_path: Path, path: str) -> None:
    loader = f"""
        import importlib

        def load_plugin(name):
            module = importlib.import_module({path})
            return module.load()

        def main():
            load_plugin("csv")
    """
    graph = solve(tmp_path, {**PLUGINS, "app/loader.py": loader})
    assert callees(graph, "app.loader.load_plugin") == [
        "app.plugins.csv_plugin.load",
        "importlib.import_module",
    ]


def test_globals_get_with_a_constant_name(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def cmd_start():
            return 1

        def cmd_stop():
            return 2

        def run_command(name):
            command = globals().get("cmd_" + name)
            return command()

        def main():
            run_command("start")
        """,
    )
    assert callees(graph, "app.run_command") == [
        "<**PyDict**>.get",
        "<builtin>.globals",
        "app.cmd_start",
    ]


# --- reachability and entries -------------------------------------------------------------------

REACHABILITY = """
import atexit
import threading
from django.views import View

def record():
    return 1

def flush_metrics():
    return record()

def cleanup():
    return record()

def helper():
    return record()

def public_api():
    return record()

HOOKS = [helper]

def boot():
    atexit.register(cleanup)
    threading.Thread(target=flush_metrics)

class OrderView(View):
    def get(self, request):
        return self._render()

    def _render(self):
        return record()
"""


def test_entries(tmp_path: Path) -> None:
    graph = solve(tmp_path, REACHABILITY)
    assert graph.entries == (
        "app.OrderView._render",  # a class with an outside base: outside code may call any
        "app.OrderView.get",
        "app.boot",  # never referenced: an API
        "app.cleanup",  # handed to outside code
        "app.flush_metrics",
        "app.public_api",
    )


def test_referenced_but_never_called_function_is_not_reached(tmp_path: Path) -> None:
    adjacency = solve(tmp_path, REACHABILITY).adjacency()
    assert "app.helper" not in adjacency
    assert "app.helper" not in adjacency["app"]


def test_entries_and_what_they_call_are_keys(tmp_path: Path) -> None:
    adjacency = solve(tmp_path, REACHABILITY).adjacency()
    assert adjacency["app.boot"] == ["atexit.register", "threading.Thread"]
    assert adjacency["app.public_api"] == ["app.record"]
    assert adjacency["app.OrderView.get"] == ["app.OrderView._render"]
    assert adjacency["app.record"] == []


def test_all_functions_includes_unreached_callers(tmp_path: Path) -> None:
    graph = solve(tmp_path, REACHABILITY)
    assert graph.adjacency(reached_only=False)["app.helper"] == ["app.record"]


def test_lambda_is_never_an_entry_by_itself(tmp_path: Path) -> None:
    graph = solve(tmp_path, "def make():\n    return lambda order: order.total()\n")
    assert graph.entries == ("app.make",)
    assert "app.make.<lambda1>" not in graph.adjacency()


# --- robustness ---------------------------------------------------------------------------------

MIXED = {
    "app/__init__.py": "",
    "app/jobs.py": TEMPLATE,
    "app/services.py": REPOSITORIES + "\ndef main():\n    store(SqlRepository(), 1)\n",
    "app/reach.py": REACHABILITY,
    "app/dispatch.py": dispatch_tree(MAX_LITERALS + 1),
    # An import cycle, with calls both ways.
    "app/orders.py": """
        from app import billing

        def place(order):
            return billing.charge(order)

        def refund(order):
            return order
    """,
    "app/billing.py": """
        from app import orders

        def charge(order):
            return order

        def cancel(order):
            return orders.refund(order)
    """,
}


def test_two_runs_give_identical_graphs(tmp_path: Path) -> None:
    first = solve(tmp_path / "one", MIXED)
    second = solve(tmp_path / "two", MIXED)
    assert first.adjacency() == second.adjacency()
    assert first.calls == second.calls
    assert first.entries == second.entries
    assert first.sites == second.sites


_DUMP = """
import json, sys
from pathlib import Path
from analyzer.pipeline import AnalysisSettings, analyze
graph = analyze(Path(sys.argv[1]), AnalysisSettings(jobs=1)).calls
s = graph.sites
print(json.dumps([graph.adjacency(), graph.entries, s.internal, s.external, s.unresolved]))
"""


def test_graph_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    graph = solve(tmp_path, MIXED)
    sites = graph.sites
    here = [
        graph.adjacency(),
        list(graph.entries),
        sites.internal,
        sites.external,
        sites.unresolved,
    ]
    outputs = [json.loads(json.dumps(here))]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, str(tmp_path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO_ROOT,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == outputs[2]


def test_unresolved_call_sites_are_counted(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        import sys

        def save(order):
            return order

        def main(order, callback):
            save(order)               # internal
            len(order)                # external
            callback(order)           # unresolved: nothing flows in
            getattr(order, sys.argv[1])()  # unresolved (getattr itself is external)
            eval("save")(order)       # unresolved (eval itself is external)
            missing_function()        # unresolved
        """,
    )
    assert graph.sites.internal == 1
    assert graph.sites.external == 3
    assert graph.sites.unresolved == 4
    assert graph.sites.total == 8
    assert callees(graph, "app.main") == [
        "<builtin>.eval",
        "<builtin>.getattr",
        "<builtin>.len",
        "app.save",
    ]


def test_lambda_parameter_does_not_shadow_names_of_the_enclosing_function(
    tmp_path: Path,
) -> None:
    graph = solve(
        tmp_path,
        """
        def send(batch):
            return batch

        def notify(orders):
            key = lambda send: send.priority
            return send(sorted(orders, key=key))

        notify([])
        """,
    )
    assert "app.send" in callees(graph, "app.notify")


def test_function_local_import_in_a_property_setter(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/store.py": "def load(key):\n    return key\n\ndef save(key, value):\n    pass\n",
            "app/models.py": """
                class Account:
                    @property
                    def balance(self):
                        from app.store import load
                        return load(self)

                    @balance.setter
                    def balance(self, value):
                        from app.store import save
                        save(self, value)

                def main(account: Account):
                    account.balance = 3
            """,
        },
    )
    assert "app.store.save" in callees(graph, "app.models.Account.balance")
    assert graph.sites.unresolved == 0


def test_decorator_edge_has_the_decorator_line(tmp_path: Path) -> None:
    graph = solve(
        tmp_path,
        """
        def register(func):
            return func


        # Handlers

        @register
        def create_user():
            pass
        """,
    )
    (call,) = [c for c in graph.calls if c.callee == "app.register"]
    assert call.line in (7, 8)  # `@register` or `def create_user`, not 3 (a blank line)


def test_implicit_call_in_a_return_has_the_return_line(tmp_path: Path) -> None:
    source = MONEY.format(body="    return total + other")
    graph = solve(tmp_path, source)
    line = source.lstrip("\n").splitlines().index("    return total + other") + 1
    (call,) = [c for c in graph.calls if c.caller == "app.main"]
    assert (call.callee, call.line) == ("app.Money.__add__", line)
