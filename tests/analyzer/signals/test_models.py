"""ORM models found statically: Django (through abstract bases in other modules, app labels,
tables), SQLAlchemy (declarative classes, legacy and Flask bases, bare tables), and the
classes that are not models."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.pipeline import Analysis
from analyzer.signals.models import ModelCatalog, find_models
from tests.trees import analyze_tree, code_index_of


def catalog(tmp_path: Path, files: dict[str, str]) -> ModelCatalog:
    return analyze_tree(tmp_path, files, cochange=False).models


# -- Django


@pytest.mark.parametrize(
    ("model", "table", "abstract", "label"),
    [
        # through an abstract base defined in another package
        ("shop.catalogue.models.Product", "catalogue_product", False, "catalogue"),
        # Meta.db_table overrides the default table
        ("shop.catalogue.models.Category", "product_categories", False, "catalogue"),
        ("shop.core.models.TimeStamped", "core_timestamped", True, "core"),
        # the AppConfig's label, not the package name, prefixes the table
        ("shop.orders.models.Order", "ordering_order", False, "ordering"),
        ("shop.orders.models.OrderLine", "ordering_orderline", False, "ordering"),
    ],
)
def test_django_models(
    django_shop: Analysis, model: str, table: str, abstract: bool, label: str
) -> None:
    found = django_shop.models.models[model]
    assert (found.module, found.table, found.abstract, found.app_label, found.orm) == (
        model.rpartition(".")[0],
        table,
        abstract,
        label,
        "django",
    )
    assert found.class_name == model.rpartition(".")[2]


def test_django_non_models_are_left_out(django_shop: Analysis) -> None:
    models = django_shop.models.models
    assert set(models) == {
        "shop.catalogue.models.Category",
        "shop.catalogue.models.Product",
        "shop.core.models.TimeStamped",
        "shop.orders.models.Order",
        "shop.orders.models.OrderLine",
    }
    # AppConfigs, a plain class beside the models, the Meta classes: no models
    assert "shop.catalogue.models.ProductForm" not in models
    assert "shop.orders.apps.OrdersConfig" not in models
    assert not any(name.endswith(".Meta") for name in models)


def test_django_app_packages(django_shop: Analysis) -> None:
    assert dict(django_shop.models.app_packages) == {
        "catalogue": "shop.catalogue",  # AppConfig without a label: the package's last part
        "core": "shop.core",  # no AppConfig: the package above the models module
        "ordering": "shop.orders",  # AppConfig.label
    }


def test_django_meta_app_label_models_package_and_look_alikes(tmp_path: Path) -> None:
    found = catalog(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/billing/__init__.py": "",
            "proj/billing/models/__init__.py": "from .invoice import Invoice\n",
            "proj/billing/models/invoice.py": """
                from django.db import models


                class Invoice(models.Model):
                    number = models.CharField(max_length=10)
            """,
            "proj/billing/models/payment.py": """
                from django.db.models import Model


                class Payment(Model):
                    class Meta:
                        app_label = "payments"
            """,
            "proj/billing/forms.py": """
                from django import forms
                from django.db import models


                class InvoiceForm(forms.Form):
                    pass


                class InvoiceManager(models.Manager):
                    pass


                class Model:
                    '''A class that only bears the name.'''


                class Fake(Model):
                    pass
            """,
            "proj/other.py": """
                from peewee import Model as PeeweeModel
                from mylib.models import Model


                class NotDjango(Model):
                    pass


                class Tag(PeeweeModel):
                    pass
            """,
        },
    )
    assert set(found.models) == {
        "proj.billing.models.invoice.Invoice",
        "proj.billing.models.payment.Payment",
        "proj.other.Tag",
    }
    invoice = found.models["proj.billing.models.invoice.Invoice"]
    # a models package: the app is the package above `models`
    assert (invoice.app_label, invoice.table) == ("billing", "billing_invoice")
    payment = found.models["proj.billing.models.payment.Payment"]
    assert (payment.app_label, payment.table) == ("payments", "payments_payment")
    assert found.models["proj.other.Tag"].orm == "other"
    assert found.app_packages["billing"] == "proj.billing"


# -- ModelCatalog.by_label


@pytest.mark.parametrize(
    ("reference", "near", "expected"),
    [
        ("catalogue.Product", None, "shop.catalogue.models.Product"),
        ("catalogue.product", None, "shop.catalogue.models.Product"),  # Django ignores case
        ("ordering.Order", None, "shop.orders.models.Order"),  # AppConfig label
        ("Order", "shop.orders.models", "shop.orders.models.Order"),  # bare: same app first
        ("Product", "shop.orders.models", "shop.catalogue.models.Product"),
        ("core.TimeStamped", None, "shop.core.models.TimeStamped"),  # only abstract: kept
        ("catalogue.Ghost", None, None),
        ("Ghost", "shop.orders.models", None),
    ],
)
def test_by_label(django_shop: Analysis, reference: str, near: str | None, expected: str) -> None:
    found = django_shop.models.by_label(reference, near=near)
    assert (found.name if found else None) == expected


def test_by_label_prefers_the_labelled_app_and_concrete_models(tmp_path: Path) -> None:
    found = catalog(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/a/__init__.py": "",
            "site/a/models.py": """
                from django.db import models


                class Item(models.Model):
                    pass
            """,
            "site/b/__init__.py": "",
            "site/b/models.py": """
                from django.db import models


                class Item(models.Model):
                    class Meta:
                        abstract = True
            """,
            "site/c/__init__.py": "",
            "site/c/models.py": """
                from django.db import models


                class Item(models.Model):
                    pass
            """,
        },
    )
    assert found.by_label("a.Item").name == "site.a.models.Item"
    assert found.by_label("c.Item").name == "site.c.models.Item"
    assert found.by_label("b.Item").name == "site.b.models.Item"  # abstract, but labelled
    assert found.by_label("Item", near="site.c.views").name == "site.c.models.Item"
    assert found.by_label("Item").name == "site.a.models.Item"  # concrete first, then by name
    assert found.by_class_name("item", ignore_case=True) == found.by_class_name("Item")
    assert [m.name for m in found.by_table("c_item")] == ["site.c.models.Item"]


def test_concrete_descendants(django_shop: Analysis) -> None:

    code = code_index_of(django_shop)
    assert django_shop.models.concrete_descendants(code) == {
        "shop.core.models.TimeStamped": ("shop.catalogue.models.Product",)
    }
    assert find_models(code) == django_shop.models  # pure: the same catalog again


# -- SQLAlchemy and others


@pytest.mark.parametrize(
    ("model", "module", "table", "abstract"),
    [
        ("app.customers.Customer", "app.customers", "customers", False),
        ("app.orders.Order", "app.orders", "orders", False),
        ("table:audit_log", "app.audit", "audit_log", False),  # a Core Table
        ("app.legacy.Invoice", "app.legacy", "invoices", False),  # declarative_base()
        ("app.legacy.LegacyMixin", "app.legacy", "legacymixin", True),  # __abstract__
        ("app.flask_models.User", "app.flask_models", "user", False),  # Flask db.Model
        ("app.flask_models.Admin", "app.flask_models", "admin", False),  # its subclass
    ],
)
def test_sqlalchemy_models(
    sqlalchemy_app: Analysis, model: str, module: str, table: str, abstract: bool
) -> None:
    found = sqlalchemy_app.models.models[model]
    assert (found.module, found.table, found.abstract, found.orm, found.app_label) == (
        module,
        table,
        abstract,
        "sqlalchemy",
        None,
    )


def test_sqlalchemy_declarative_base_and_plain_classes_are_no_models(
    sqlalchemy_app: Analysis,
) -> None:
    models = sqlalchemy_app.models.models
    assert "app.db.Base" not in models  # `class Base(DeclarativeBase)` maps no table
    assert "app.plain.Helper" not in models
    assert "app.plain.Settings" not in models  # `tablename`, not `__tablename__`
    assert len(models) == 7
    assert dict(sqlalchemy_app.models.app_packages) == {}


def test_bare_table_needs_a_table_call_of_sqlalchemy(tmp_path: Path) -> None:
    found = catalog(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/tables.py": """
                import sqlalchemy as sa
                from prettytable import Table as Pretty
                from sqlalchemy import MetaData, Table

                metadata = MetaData()
                users = Table("Users", metadata)
                groups = sa.Table("groups", metadata)
                report = Pretty("not_a_table")
            """,
            "pkg/local.py": """
                class Table:
                    def __init__(self, name):
                        self.name = name


                shown = Table("layout")
            """,
        },
    )
    assert sorted(found.models) == ["table:groups", "table:users"]
    assert found.models["table:users"].module == "pkg.tables"
