"""The data signal: define/read/write touches per module and model, abstract models standing
for their concrete ones, and model ownership in a partition."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analyzer.pipeline import Analysis
from analyzer.signals.data import DataUsage, ModelOwnership, model_ownership
from analyzer.signals.models import DataModel, ModelCatalog
from tests.analyzer.signals.projects import touches
from tests.trees import analyze_tree

PRODUCT = "shop.catalogue.models.Product"
CATEGORY = "shop.catalogue.models.Category"
ORDER = "shop.orders.models.Order"
STAMPED = "shop.core.models.TimeStamped"


@pytest.mark.parametrize(
    ("module", "model", "modes"),
    [
        ("shop.catalogue.models", PRODUCT, {"define": 1}),
        ("shop.catalogue.models", CATEGORY, {"define": 1}),
        ("shop.catalogue.models", STAMPED, {"read": 1}),  # imports its abstract base
        ("shop.core.models", STAMPED, {"define": 1}),
        ("shop.orders.models", ORDER, {"define": 1}),
        ("shop.orders.models", PRODUCT, {"read": 1}),  # ForeignKey("catalogue.Product")
        # import: read; `.objects.filter`: read
        ("shop.catalogue.search", PRODUCT, {"read": 2}),
        # import: read; instantiation: one write (not one per pass that sees it)
        ("shop.stock", PRODUCT, {"read": 1, "write": 1}),
        # `apps.get_model`: read; `Order.objects.create` through the bound name: write
        ("shop.orders.services", ORDER, {"read": 1, "write": 1}),
        # raw SQL: SELECT reads, INSERT writes, the tables tie back to the models
        ("shop.reports", PRODUCT, {"read": 1}),
        ("shop.reports", CATEGORY, {"read": 1}),  # Meta.db_table
        ("shop.reports", ORDER, {"write": 1}),  # the AppConfig label's table
        # import, and `sender=Order`
        ("shop.notifications.handlers", ORDER, {"read": 2}),
    ],
)
def test_touches(django_shop: Analysis, module: str, model: str, modes: dict[str, int]) -> None:
    assert touches(django_shop)[module][model] == modes


def test_modules_touching_no_model_are_absent(django_shop: Analysis) -> None:
    found = touches(django_shop)
    for module in ("shop.orders.views", "shop.urls", "shop.settings", "shop.orders.signals"):
        assert module not in found
    assert set(found["shop.reports"]) == {PRODUCT, CATEGORY, ORDER}


def test_users(django_shop: Analysis) -> None:
    assert django_shop.data.users(ORDER) == {
        "shop.notifications.handlers": {"read": 2},
        "shop.orders.models": {"define": 1},
        "shop.orders.services": {"read": 1, "write": 1},
        "shop.reports": {"write": 1},
    }
    assert django_shop.data.users("no.such.Model") == {}


def test_abstract_models_stand_for_their_concrete_models(django_shop: Analysis) -> None:
    assert dict(django_shop.data.entities) == {STAMPED: (PRODUCT,)}
    # the module defining the abstract base is tied to the concrete Product, as a definer
    assert django_shop.data.entity_weights("shop.core.models") == {PRODUCT: 3.0}
    weights = django_shop.data.entity_weights("shop.catalogue.models")
    assert STAMPED not in weights
    assert weights == {CATEGORY: 3.0, PRODUCT: 3.0}  # max of define and read


def test_entity_weights_grow_with_mode_and_count(django_shop: Analysis) -> None:
    data = django_shop.data
    assert data.entity_weights("shop.stock") == {PRODUCT: 2.0}  # write beats read
    assert data.entity_weights("shop.catalogue.search") == {
        PRODUCT: pytest.approx(1.0 + math.log(2))
    }
    assert data.entity_weights("shop.orders.views") == {}


def test_abstract_model_with_several_concrete_models(tmp_path: Path) -> None:
    analysis = analyze_tree(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/base.py": """
                from django.db import models


                class Address(models.Model):
                    class Meta:
                        abstract = True
            """,
            "site/people.py": """
                from site.base import Address


                class Home(Address):
                    pass


                class Office(Address):
                    pass
            """,
            "site/forms.py": """
                from site.base import Address


                def blank():
                    return Address
            """,
        },
        cochange=False,
    )
    assert dict(analysis.data.entities) == {
        "site.base.Address": ("site.people.Home", "site.people.Office")
    }
    share = 1.0 / math.sqrt(2)
    assert analysis.data.entity_weights("site.forms") == {
        "site.people.Home": pytest.approx(share),
        "site.people.Office": pytest.approx(share),
    }
    ownership = {
        o.model: o for o in model_ownership(analysis.data, {m: "one" for m in analysis.modules})
    }
    assert set(ownership) == {"site.people.Home", "site.people.Office"}  # no abstract model


def test_sqlalchemy_touches(sqlalchemy_app: Analysis) -> None:
    found = touches(sqlalchemy_app)
    assert found["app.audit"] == {"app.orders.Order": {"read": 1}, "table:audit_log": {"define": 1}}
    assert found["app.orders"]["app.customers.Customer"] == {"read": 2}
    assert found["app.customers"]["app.orders.Order"] == {"read": 1}
    assert "app.db.Base" not in found.get("app.customers", {})  # the declarative base


def test_sql_touches_tables_of_sqlalchemy_models(tmp_path: Path) -> None:
    analysis = analyze_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                from sqlalchemy import Column, Integer, MetaData, Table
                from sqlalchemy.orm import DeclarativeBase


                class Base(DeclarativeBase):
                    pass


                class Invoice(Base):
                    __tablename__ = "invoices"
                    id = Column(Integer, primary_key=True)


                audit = Table("audit", MetaData())
            """,
            "app/jobs.py": """
                def close(db):
                    db.execute("UPDATE invoices SET closed = 1 WHERE id IN (SELECT id FROM audit)")
                    db.execute("DELETE FROM public.audit")
                    db.execute("SELECT * FROM unknown_table")
            """,
        },
        cochange=False,
    )
    assert touches(analysis)["app.jobs"] == {
        "app.models.Invoice": {"write": 1},
        "table:audit": {"read": 1, "write": 1},
    }


def test_no_models_no_touches(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, {"a.py": "import b\n", "b.py": "X = 1\n"}, cochange=False)
    assert analysis.data.touches == {}
    assert analysis.data.entity_weights("a") == {}
    assert model_ownership(analysis.data, {"a": "s", "b": "s"}) == ()


# -- ownership


PARTITION = {
    "shop.catalogue.models": "catalogue",
    "shop.catalogue.search": "catalogue",
    "shop.catalogue.apps": "catalogue",
    "shop.core.models": "catalogue",
    "shop.orders.models": "orders",
    "shop.orders.services": "orders",
    "shop.orders.views": "orders",
    "shop.notifications.handlers": "notifications",
    "shop.reports": "back_office",
    "shop.stock": "back_office",
}


def test_model_ownership(django_shop: Analysis) -> None:
    found = {o.model: o for o in model_ownership(django_shop.data, PARTITION)}
    assert STAMPED not in found  # abstract
    assert found[PRODUCT] == ModelOwnership(
        PRODUCT,
        "catalogue_product",
        "catalogue",
        "catalogue",
        ("back_office",),  # shop.stock instantiates it
        ("orders",),  # the ForeignKey
    )
    assert found[ORDER] == ModelOwnership(
        ORDER,
        "ordering_order",
        "orders",
        "orders",
        ("back_office",),  # INSERT INTO ordering_order
        ("notifications",),
    )
    assert found[CATEGORY].readers == ("back_office",)
    assert found[CATEGORY].writers == ()
    assert {name for name, o in found.items() if o.shared} == {PRODUCT, ORDER, CATEGORY}
    line = found["shop.orders.models.OrderLine"]  # used by its own service only
    assert (line.owner, line.writers, line.readers) == ("orders", (), ())
    assert [o.model for o in model_ownership(django_shop.data, PARTITION)] == sorted(found)


def test_model_ownership_without_the_defining_module_in_the_plan(django_shop: Analysis) -> None:
    partition = {m: s for m, s in PARTITION.items() if m != "shop.orders.models"}
    order = next(o for o in model_ownership(django_shop.data, partition) if o.model == ORDER)
    # orders: write 2 + read 1 = 3; back_office: write 2; notifications: read 2
    assert (order.defined_in, order.owner) == (None, "orders")
    assert order.writers == ("back_office",)
    assert order.readers == ("notifications",)


def test_ownership_owner_by_weighted_touches_and_ties() -> None:
    model = DataModel("x.models.Thing", "x.models", "thing", "django")
    usage = DataUsage(
        ModelCatalog({model.name: model}),
        {
            "a.reader": {model.name: {"read": 3}},
            "b.writer": {model.name: {"write": 1, "read": 1}},
            "c.other": {model.name: {"write": 1, "read": 1}},
        },
    )
    (found,) = model_ownership(usage, {"a.reader": "a", "b.writer": "b", "c.other": "c"})
    # a: 3 reads = 3; b and c: 2 + 1 = 3 each: a tie, broken by name
    assert (found.defined_in, found.owner, found.writers, found.readers) == (
        None,
        "a",
        ("b", "c"),
        (),
    )
    (alone,) = model_ownership(usage, {"b.writer": "b"})
    assert (alone.owner, alone.writers, alone.readers, alone.shared) == ("b", (), (), False)
    (nobody,) = model_ownership(usage, {})
    assert (nobody.owner, nobody.shared) == (None, False)


def test_a_model_fetched_inside_a_function_is_written_through_its_local_name(
    tmp_path: Path,
) -> None:
    analysis = analyze_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": """
                from django.db import models


                class Order(models.Model):
                    total = models.IntegerField()
            """,
            "shop/checkout.py": """
                from django.apps import apps


                def place(total):
                    Order = apps.get_model("orders", "Order")
                    return Order.objects.create(total=total)
            """,
        },
        cochange=False,
    )
    assert analysis.data.touches["shop.checkout"]["shop.orders.models.Order"] == {
        "read": 1,
        "write": 1,
    }
