"""Each built-in recognizer: the links it should find (source, target, kind, binds), and the
look-alikes it must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.pipeline import Analysis
from tests.analyzer.signals.projects import DJANGO_SHOP, link_kinds, links
from tests.trees import analyze_tree

# -- Django (the shared shop)


@pytest.mark.parametrize(
    ("source", "target", "kind", "binds"),
    [
        ("shop.orders.models", "shop.catalogue.models.Product", "django.model_reference", None),
        ("shop.orders.services", "shop.orders.models.Order", "django.get_model", "Order"),
        ("shop.settings", "shop.catalogue", "django.installed_apps", None),
        ("shop.settings", "shop.notifications", "django.installed_apps", None),
        ("shop.settings", "shop.orders.apps.OrdersConfig", "django.installed_apps", None),
        ("shop.urls", "shop.orders.urls", "django.url_include", None),
        # `@receiver(post_save, sender=Order)`: the sender model
        ("shop.notifications.handlers", "shop.orders.models.Order", "django.signal", None),
        # `@receiver(order_placed)`: the module that sends `order_placed`
        ("shop.notifications.handlers", "shop.orders.services", "django.signal", None),
        ("shop.settings", "shop.urls", "string_reference", None),  # ROOT_URLCONF
    ],
)
def test_django_links(
    django_shop: Analysis, source: str, target: str, kind: str, binds: str | None
) -> None:
    assert (source, target, binds) in links(django_shop, kind)
    link = next(w for w in django_shop.wiring if (w.source, w.target) == (source, target))
    assert link.target_module == django_shop.imports.index.longest_internal_prefix(target)


def test_django_look_alikes_in_the_shop(django_shop: Analysis) -> None:
    targets = {w.target for w in django_shop.wiring}
    assert not any("gone" in t or "Ghost" in t for t in targets)  # names nothing analyzed
    # `ForeignKey("Order")` inside the module defining Order: no self link
    assert not any(w.source == w.target_module for w in django_shop.wiring)
    assert not any(t.startswith("django.") for t in targets)


DJANGO_EXTRA = {
    **DJANGO_SHOP,
    "shop/settings.py": """
        INSTALLED_APPS = ["shop.catalogue", "shop.orders", "django.contrib.admin"]
        OTHER_APPS = ["shop.notifications"]
    """,
    "shop/wishlists/__init__.py": "",
    "shop/wishlists/models.py": """
        from django.db import models
        from sqlalchemy import ForeignKey as SaForeignKey


        class Wish(models.Model):
            product = models.ManyToManyField(to="catalogue.Product")
            parent = models.ForeignKey("self", on_delete=models.CASCADE)
            ghost = models.ForeignKey("catalogue.Ghost", on_delete=models.CASCADE)
            order = models.OneToOneField(
                "ordering.order", on_delete=models.CASCADE
            )
            legacy = SaForeignKey("catalogue.product")
    """,
    "shop/wishlists/loading.py": """
        from django.apps import apps


        def product_model(name):
            apps.get_model(name)
            return apps.get_model("catalogue.Product")
    """,
    "shop/wishlists/urls.py": """
        from django.urls import include, path

        urlpatterns = [
            path("a/", include(("shop.orders.urls", "orders"))),
            path("b/", include("shop.wishlists.nothing")),
        ]
    """,
    "shop/wishlists/receivers.py": """
        from django.core import mail
        from django.db.models.signals import post_delete, pre_save

        from shop.orders.signals import order_placed


        def on_placed(sender, **kwargs):
            mail.send()


        order_placed.connect(on_placed)
        pre_save.connect(on_placed, sender="catalogue.Product")
        post_delete.connect(on_placed)
    """,
}


@pytest.fixture(scope="module")
def django_extra(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("django_extra"), DJANGO_EXTRA, cochange=False)


@pytest.mark.parametrize(
    ("source", "target", "kind"),
    [
        # the first entry of the list counts too
        ("shop.settings", "shop.catalogue", "django.installed_apps"),
        ("shop.settings", "shop.orders", "django.installed_apps"),
        ("shop.wishlists.models", "shop.catalogue.models.Product", "django.model_reference"),
        ("shop.wishlists.models", "shop.orders.models.Order", "django.model_reference"),
        ("shop.wishlists.loading", "shop.catalogue.models.Product", "django.get_model"),
        ("shop.wishlists.receivers", "shop.orders.services", "django.signal"),  # .connect()
    ],
)
def test_django_more_forms(django_extra: Analysis, source: str, target: str, kind: str) -> None:
    assert kind in link_kinds(django_extra)[(source, target)]


def test_django_look_alikes(django_extra: Analysis) -> None:
    kinds = link_kinds(django_extra)
    # OTHER_APPS is no INSTALLED_APPS (the string still names a package: a plain reference)
    assert kinds.get(("shop.settings", "shop.notifications")) == {"string_reference"}
    # `include` of nothing analyzed gives nothing; of a (module, namespace) tuple, only the
    # catch-all reference to the module
    assert {
        (w.target, w.kind) for w in django_extra.wiring if w.source == "shop.wishlists.urls"
    } == {("shop.orders.urls", "string_reference")}
    wish = {
        (w.target, w.kind, w.line)
        for w in django_extra.wiring
        if w.source == "shop.wishlists.models"
    }
    # `self` and unknown models give nothing; a SQLAlchemy ForeignKey is no model reference
    assert wish == {
        ("shop.catalogue.models.Product", "django.model_reference", 6),
        ("shop.orders.models.Order", "django.model_reference", 9),
    }
    # `get_model(name)` with no literal, `mail.send()`, a receiver of a signal nobody here
    # sends: nothing
    assert {
        (w.source, w.target, w.kind)
        for w in django_extra.wiring
        if w.source in {"shop.wishlists.loading", "shop.wishlists.receivers"}
    } == {
        ("shop.wishlists.loading", "shop.catalogue.models.Product", "django.get_model"),
        ("shop.wishlists.receivers", "shop.orders.services", "django.signal"),
        # `pre_save.connect(..., sender="catalogue.Product")`: a lazy sender
        ("shop.wishlists.receivers", "shop.catalogue.models.Product", "django.signal"),
    }


def test_django_receivers_of_several_signals_and_lazy_senders(tmp_path: Path) -> None:
    files = {
        **DJANGO_SHOP,
        "shop/audit.py": """
            from django.db.models.signals import post_delete, post_save
            from django.dispatch import receiver

            from shop.orders.models import Order
            from shop.orders.signals import order_placed


            @receiver([post_save, post_delete], sender=Order)
            def log_change(sender, **kwargs):
                pass


            @receiver((order_placed, post_save))
            def log_placed(sender, **kwargs):
                pass


            post_save.connect(log_change, sender="catalogue.Product")
            post_save.connect(log_change, sender="catalogue.Ghost")
        """,
    }
    analysis = analyze_tree(tmp_path, files, cochange=False)
    found = {(w.target, w.line) for w in analysis.wiring if w.source == "shop.audit"}
    assert found == {
        ("shop.orders.models.Order", 8),  # the sender of a list of signals
        ("shop.orders.services", 13),  # order_placed, in a tuple, is sent there
        ("shop.catalogue.models.Product", 18),  # a lazy "app_label.Model" sender
    }
    assert {w.kind for w in analysis.wiring if w.source == "shop.audit"} == {"django.signal"}


# -- dynamic imports and class loaders

DYNAMIC = {
    "shop/__init__.py": "",
    "shop/core/__init__.py": "",
    "shop/core/loading.py": """
        def get_class(module_label, classname):
            return None


        def get_classes(module_label, classnames):
            return []
    """,
    "shop/catalogue/__init__.py": "",
    "shop/catalogue/forms.py": """
        class ProductForm:
            pass


        class SearchForm:
            pass
    """,
    "shop/plugins/__init__.py": "",
    "shop/plugins/csv.py": """
        def export():
            return 1
    """,
    "shop/payments/__init__.py": "",
    "shop/payments/gateways.py": """
        class Stripe:
            pass
    """,
    "shop/dashboard/__init__.py": "",
    "shop/dashboard/views.py": """
        import importlib

        from django.utils.module_loading import import_string

        from shop.core.loading import get_class, get_classes

        ProductForm, SearchForm = get_classes("catalogue.forms", ["ProductForm", "SearchForm"])
        Search = get_class("catalogue.forms", "SearchForm")
        Lost = get_class("catalogue.forms", "LostForm")
        Nope = get_class("nothing.forms", "ProductForm")
        plugin = importlib.import_module("shop.plugins.csv")
        Gateway = import_string("shop.payments.gateways.Stripe")
        old = __import__("shop.payments")
        missing = importlib.import_module("shop.plugins.pdf")
        relative = importlib.import_module(".csv", package="shop.plugins")
        other = importlib.import_module("json")
        PAYMENT_GATEWAY = "shop.payments.gateways.Stripe"
        HELP = "see shop.payments.gateways for the gateways"
        UNKNOWN = "shop.payments.gateways.Paypal"
    """,
}


@pytest.fixture(scope="module")
def dynamic(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("dynamic"), DYNAMIC, cochange=False)


def test_dynamic_links(dynamic: Analysis) -> None:
    found = {(w.target, w.kind, w.line, w.binds) for w in dynamic.wiring}
    assert all(w.source == "shop.dashboard.views" for w in dynamic.wiring)
    forms = "shop.catalogue.forms"
    assert found == {
        (f"{forms}.ProductForm", "dynamic.class_loader", 7, "ProductForm"),
        (f"{forms}.SearchForm", "dynamic.class_loader", 7, "SearchForm"),
        (f"{forms}.SearchForm", "dynamic.class_loader", 8, "Search"),
        (forms, "dynamic.class_loader", 9, "Lost"),  # the class is unknown: its module
        ("shop.plugins.csv", "dynamic.import", 11, "plugin"),
        ("shop.payments.gateways.Stripe", "dynamic.import", 12, "Gateway"),
        ("shop.payments", "dynamic.import", 13, "old"),
        # a relative import_module is not resolved, but its package= string names a package
        ("shop.plugins", "string_reference", 15, None),
        ("shop.payments.gateways.Stripe", "string_reference", 17, None),
    }
    # "nothing.forms", "shop.plugins.pdf", "json", prose and an undefined class: no link


def test_dynamic_links_become_dependencies(dynamic: Analysis) -> None:
    graph = dynamic.dependencies
    for target in ("shop.catalogue.forms", "shop.plugins.csv", "shop.payments.gateways"):
        assert graph.edges["shop.dashboard.views", target]["signals"]["wiring"] > 0
    assert not graph.has_edge("shop.dashboard.views", "shop.core")  # no wiring, an import
    assert set(graph.edges["shop.dashboard.views", "shop.core.loading"]["signals"]) == {
        "import",
        "call",
    }


# -- SQLAlchemy


@pytest.mark.parametrize(
    ("source", "target", "line"),
    [
        ("app.customers", "app.orders.Order", 12),  # relationship("Order")
        ("app.orders", "app.customers.Customer", 11),  # ForeignKey("customers.id")
        ("app.orders", "app.customers.Customer", 12),  # relationship("Customer")
        ("app.audit", "app.orders.Order", 8),  # ForeignKey("orders.id") in a Core Table
    ],
)
def test_sqlalchemy_links(sqlalchemy_app: Analysis, source: str, target: str, line: int) -> None:
    assert (source, target, "sqlalchemy.relationship", line) in {
        (w.source, w.target, w.kind, w.line) for w in sqlalchemy_app.wiring
    }


def test_sqlalchemy_look_alikes(sqlalchemy_app: Analysis) -> None:
    # relationship("Ghost") and ForeignKey("nowhere.id") name nothing; nothing else links
    assert len(sqlalchemy_app.wiring) == 4
    assert {w.kind for w in sqlalchemy_app.wiring} == {"sqlalchemy.relationship"}


def test_sqlalchemy_foreign_key_to_a_core_table(tmp_path: Path) -> None:
    analysis = analyze_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/tables.py": """
                from sqlalchemy import Column, Integer, MetaData, Table

                metadata = MetaData()
                audit = Table("audit_log", metadata, Column("id", Integer))
            """,
            "app/entries.py": """
                from sqlalchemy import Column, ForeignKey, Integer
                from sqlalchemy.orm import DeclarativeBase


                class Base(DeclarativeBase):
                    pass


                class Entry(Base):
                    __tablename__ = "entries"
                    audit_id = Column(Integer, ForeignKey("audit_log.id"))
            """,
        },
        cochange=False,
    )
    (link,) = analysis.wiring
    assert (link.source, link.target_module, link.target, link.kind) == (
        "app.entries",
        "app.tables",
        "table:audit_log",
        "sqlalchemy.relationship",
    )
    assert analysis.dependencies.edges["app.entries", "app.tables"]["signals"]["wiring"] > 0


# -- Celery

CELERY = {
    "proj/__init__.py": "",
    "proj/worker.py": """
        from celery import Celery

        app = Celery("proj")
    """,
    "proj/shipping/__init__.py": "",
    "proj/shipping/tasks.py": """
        from celery import shared_task

        from proj.worker import app


        @shared_task(name="shipping.ship_order")
        def ship(order_id):
            return order_id


        @app.task
        def resend(order_id):
            return order_id


        @app.task(bind=True)
        def track(self, parcel):
            return parcel


        def not_a_task():
            pass
    """,
    "proj/api.py": """
        from celery import signature

        from proj.worker import app


        def checkout(order_id):
            app.send_task("shipping.ship_order", args=[order_id])
            app.send_task("proj.shipping.tasks.resend")
            signature("proj.shipping.tasks.track")
            app.send_task("unknown.task")
            app.send_task("shipping.ship_order.later")
    """,
}


def test_celery_task_names(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, CELERY, cochange=False)
    found = {(w.source, w.target, w.kind, w.line) for w in analysis.wiring}
    tasks = "proj.shipping.tasks"
    assert found == {
        ("proj.api", f"{tasks}.ship", "celery.task_name", 7),  # by its name=
        ("proj.api", f"{tasks}.resend", "celery.task_name", 8),  # by its default name
        ("proj.api", f"{tasks}.track", "celery.task_name", 9),
    }  # one link per send: the catch-all does not add a second one for the same name
    assert analysis.dependencies.edges["proj.api", tasks]["signals"]["wiring"] > 0


def test_celery_needs_a_task(tmp_path: Path) -> None:
    files = dict(CELERY)
    files["proj/api.py"] = """
        from proj.worker import app


        def checkout(order_id):
            app.send_task("proj.shipping.tasks.not_a_task")
            app.send_task("shipping.ship")
            app.delay("shipping.ship_order")
    """
    analysis = analyze_tree(tmp_path, files, cochange=False)
    assert {(w.target, w.kind) for w in analysis.wiring} == {
        ("proj.shipping.tasks.not_a_task", "string_reference")
    }
