"""CodeIndex: names and dotted strings resolved over the imports, calls with their literal
arguments and bound names, string literals, class bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.signals.code_index import CodeIndex, expression_path, iter_strings, literal_string
from tests.trees import analyze_tree, code_index_of

TREE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "from .service import place_order\n",
    "shop/orders/service.py": """
        def place_order(number):
            return number
    """,
    "shop/orders/models.py": """
        from django.db import models


        class Order(models.Model):
            number = models.CharField(max_length=10)

            class Meta:
                db_table = "orders"
                ordering = ["number"]
    """,
    "shop/views.py": """
        import json
        import shop.orders.models
        import shop.orders.models as order_models
        from django.apps import apps as registry
        from shop.orders import place_order
        from shop.orders.models import Order as O

        Order = registry.get_model("orders", "Order")
        First, Second = loader("shop.a", "shop.b")
        LIMIT = 10


        def helper():
            return "inside a function"


        def view(request):
            place_order(request.number)
            json.dumps({"key": "shop.orders.service.place_order"})
            shop.orders.models.Order.objects.filter(number=1)
            return helper()
    """,
}


@pytest.fixture(scope="module")
def code(tmp_path_factory: pytest.TempPathFactory) -> CodeIndex:
    analysis = analyze_tree(tmp_path_factory.mktemp("code"), TREE, cochange=False)
    return code_index_of(analysis)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("place_order", "shop.orders.service.place_order"),  # through the re-export
        ("O", "shop.orders.models.Order"),  # an alias
        ("order_models", "shop.orders.models"),  # `import a.b as c`
        ("shop", "shop"),  # `import shop.orders.models` binds `shop`
        ("json", "json"),
        ("registry", "django.apps.apps"),  # outside: by import path
        ("helper", "shop.views.helper"),  # defined here
        ("LIMIT", "shop.views.LIMIT"),
        ("unknown", "shop.views.unknown"),
    ],
)
def test_resolve_name(code: CodeIndex, name: str, path: str) -> None:
    assert code.resolve_name("shop.views", name) == path


def test_resolve_path(code: CodeIndex) -> None:
    assert code.resolve_path("shop.views", ("registry", "get_model")) == (
        "django.apps.apps.get_model"
    )
    assert code.resolve_path("shop.views", ("shop", "orders", "models", "Order")) == (
        "shop.orders.models.Order"
    )


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("shop.orders.models", "shop.orders.models"),
        ("shop.orders.models.Order", "shop.orders.models.Order"),
        ("shop.orders.models.Order.objects", "shop.orders.models.Order.objects"),
        ("shop.orders.place_order", "shop.orders.service.place_order"),  # followed
        ("shop.orders", "shop.orders"),
        ("shop.orders.models.Nothing", None),  # not defined there
        ("shop.gone.models", None),  # no such module
        ("django.db.models", None),  # not analyzed
        ("shop", None),  # not dotted
        ("see shop.orders", None),  # prose
        ("shop.orders.", None),
        ("report.csv", None),
    ],
)
def test_resolve_dotted_string(code: CodeIndex, text: str, resolved: str | None) -> None:
    assert code.resolve_dotted_string(text) == resolved


@pytest.mark.parametrize(
    ("text", "module"),
    [
        ("orders.models", "shop.orders.models"),
        ("models", "shop.orders.models"),
        ("shop.views", "shop.views"),
        ("views", "shop.views"),
        ("service", "shop.orders.service"),
        ("catalogue.models", None),
        ("ders.models", None),  # whole parts only
    ],
)
def test_module_by_suffix(code: CodeIndex, text: str, module: str | None) -> None:
    assert code.module_by_suffix(text) == module


def test_calls_with_paths_literals_and_bindings(code: CodeIndex) -> None:
    calls = {call.path: call for call in code.calls("shop.views")}
    get_model = calls["django.apps.apps.get_model"]
    assert (get_model.name, get_model.args, get_model.binds, get_model.scope) == (
        "get_model",
        ("orders", "Order"),
        "Order",
        "",
    )
    assert get_model.line == 8
    loader = calls["shop.views.loader"]
    assert loader.binds == "First,Second"  # tuple unpacking
    place = calls["shop.orders.service.place_order"]
    assert place.args == (None,)  # not a literal
    assert place.binds is None  # inside a function
    assert place.scope == "view"
    chain = calls["shop.orders.models.Order.objects.filter"]
    assert chain.kwargs == {"number": None}
    assert chain.name == "filter"


def test_strings(code: CodeIndex) -> None:
    found = dict(code.strings("shop.views"))
    assert found["shop.orders.service.place_order"] == 19  # a dict value inside a call
    assert found["inside a function"] == 14  # returned
    assert found["shop.a"] == 9
    assert "orders" in found


def test_class_assign_and_ancestors(code: CodeIndex) -> None:
    assert literal_string(code.class_assign("shop.orders.models.Order.Meta", "db_table")) == (
        "orders"
    )
    assert code.class_assign("shop.orders.models.Order.Meta", "verbose_name") is None
    assert code.class_assign("shop.orders.models.Nothing", "x") is None
    assert code.class_assign("shop.orders.models", "x") is None
    assert code.ancestors("shop.orders.models.Order") == (
        "shop.orders.models.Order",
        "django.db.models.Model",
    )
    assert code.is_subclass_of("shop.orders.models.Order", frozenset({"django.db.models.Model"}))
    assert not code.is_subclass_of("shop.orders.models.Order", frozenset({"x.Y"}))
    assert code.ancestors("not.a.Class") == ()
    assert code.class_module("shop.orders.models.Order") == "shop.orders.models"


def test_expression_helpers() -> None:
    assert literal_string(("T", "str", "x")) == "x"
    assert literal_string(("T", "int", 3)) is None
    assert literal_string(("T", "str")) is None
    assert literal_string(("n", "x")) is None
    assert expression_path(("a", ("a", ("n", "a"), "b"), "c")) == ("a", "b", "c")
    assert expression_path(("a", ("c", 0), "b")) is None
    assert list(
        iter_strings(("L", "list", 0, (("T", "str", "a"), ("n", "b"), ("T", "str", "c"))))
    ) == [
        "a",
        "c",
    ]


def test_modules_sorted(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, {"b.py": "", "a.py": ""}, cochange=False)
    assert code_index_of(analysis).modules == ["a", "b"]
