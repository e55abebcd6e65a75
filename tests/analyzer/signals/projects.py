"""Small, realistic source trees shared by the signal tests (written and analyzed per session
in conftest.py; never imported or executed: Django, SQLAlchemy and Celery are not installed)."""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.pipeline import Analysis

#: A Django shop: three apps, an abstract base model in a fourth package, an AppConfig with a
#: label that is not the package name, string model references, `apps.get_model`, URL
#: includes, signal receivers, a custom signal, and raw SQL.
DJANGO_SHOP: dict[str, str] = {
    "shop/__init__.py": "",
    "shop/settings.py": """
        INSTALLED_APPS = [
            "django.contrib.auth",
            "shop.catalogue",
            "shop.orders.apps.OrdersConfig",
            "shop.notifications",
        ]
        ROOT_URLCONF = "shop.urls"
    """,
    "shop/urls.py": """
        from django.urls import include, path

        urlpatterns = [
            path("orders/", include("shop.orders.urls")),
            path("gone/", include("shop.gone.urls")),
        ]
    """,
    "shop/core/__init__.py": "",
    "shop/core/models.py": '''
        from django.db import models


        class TimeStamped(models.Model):
            """Creation and modification times."""

            created = models.DateTimeField(auto_now_add=True)

            class Meta:
                abstract = True
    ''',
    "shop/catalogue/__init__.py": "",
    "shop/catalogue/apps.py": """
        from django.apps import AppConfig


        class CatalogueConfig(AppConfig):
            name = "shop.catalogue"
    """,
    "shop/catalogue/models.py": '''
        from django.db import models

        from shop.core.models import TimeStamped


        class Product(TimeStamped):
            """A product of the catalogue, with its title and price."""

            title = models.CharField(max_length=100)
            price = models.DecimalField(max_digits=8, decimal_places=2)


        class Category(models.Model):
            title = models.CharField(max_length=100)
            products = models.ManyToManyField(Product)

            class Meta:
                db_table = "product_categories"


        class ProductForm:
            """Not a model: no ORM base."""
    ''',
    "shop/catalogue/search.py": '''
        from shop.catalogue.models import Product


        def search_products(title):
            """Products whose title contains the query."""
            return Product.objects.filter(title__icontains=title)
    ''',
    "shop/orders/__init__.py": "",
    "shop/orders/apps.py": """
        from django.apps import AppConfig


        class OrdersConfig(AppConfig):
            name = "shop.orders"
            label = "ordering"
    """,
    "shop/orders/signals.py": """
        from django.dispatch import Signal

        order_placed = Signal()
    """,
    "shop/orders/models.py": '''
        from django.db import models


        class Order(models.Model):
            """A customer's order of a product."""

            product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE)
            number = models.CharField(max_length=20)


        class OrderLine(models.Model):
            order = models.ForeignKey("Order", on_delete=models.CASCADE)
            quantity = models.IntegerField()
    ''',
    "shop/orders/services.py": '''
        from django.apps import apps

        from shop.orders.signals import order_placed

        Order = apps.get_model("ordering", "Order")
        Ghost = apps.get_model("ordering", "Ghost")


        def place_order(number):
            """Place an order and tell whoever listens."""
            order = Order.objects.create(number=number)
            order_placed.send(sender=Order, order=order)
            return order
    ''',
    "shop/orders/views.py": '''
        from shop.orders.services import place_order


        def checkout(request):
            """The checkout view: places the order of the basket."""
            return place_order(request.basket_number)
    ''',
    "shop/orders/urls.py": """
        from shop.orders.views import checkout

        urlpatterns = [checkout]
    """,
    "shop/notifications/__init__.py": "",
    "shop/notifications/handlers.py": '''
        from django.db.models.signals import post_save
        from django.dispatch import receiver

        from shop.orders.models import Order
        from shop.orders.signals import order_placed


        @receiver(post_save, sender=Order)
        def order_saved(sender, instance, **kwargs):
            """Mail the customer when the order is saved."""


        @receiver(order_placed)
        def order_was_placed(sender, order, **kwargs):
            """Mail the warehouse when an order is placed."""
    ''',
    "shop/reports.py": '''
        from django.db import connection


        def sales_report():
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT p.title, c.title FROM catalogue_product p
                    JOIN product_categories c ON c.id = p.id
                    """
                )
                cursor.execute("INSERT INTO ordering_order (number) VALUES (%s)", ["1"])
                return cursor.fetchall()
    ''',
    "shop/stock.py": """
        from shop.catalogue.models import Product


        def restock(title):
            product = Product(title=title)
            product.save()
            return product
    """,
}

#: A SQLAlchemy 2 application: a declarative base, two mapped classes related both ways by
#: `relationship` and `ForeignKey("table.column")`, a Core `Table`, a legacy
#: `declarative_base()` model, and a plain class.
SQLALCHEMY_APP: dict[str, str] = {
    "app/__init__.py": "",
    "app/db.py": """
        from sqlalchemy import MetaData
        from sqlalchemy.orm import DeclarativeBase

        metadata = MetaData()


        class Base(DeclarativeBase):
            pass
    """,
    "app/customers.py": """
        from sqlalchemy import Column, Integer, String
        from sqlalchemy.orm import relationship

        from app.db import Base


        class Customer(Base):
            __tablename__ = "customers"

            id = Column(Integer, primary_key=True)
            name = Column(String)
            orders = relationship("Order", back_populates="customer")
    """,
    "app/orders.py": """
        from sqlalchemy import Column, ForeignKey, Integer
        from sqlalchemy.orm import relationship

        from app.db import Base


        class Order(Base):
            __tablename__ = "orders"

            id = Column(Integer, primary_key=True)
            customer_id = Column(Integer, ForeignKey("customers.id"))
            customer = relationship("Customer", back_populates="orders")
            ghost = relationship("Ghost")
    """,
    "app/audit.py": """
        from sqlalchemy import Column, ForeignKey, Integer, Table

        from app.db import metadata

        audit = Table(
            "audit_log",
            metadata,
            Column("order_id", Integer, ForeignKey("orders.id")),
            Column("other_id", Integer, ForeignKey("nowhere.id")),
        )
    """,
    "app/legacy.py": """
        from sqlalchemy.ext.declarative import declarative_base

        Legacy = declarative_base()


        class Invoice(Legacy):
            __tablename__ = "Invoices"


        class LegacyMixin(Legacy):
            __abstract__ = True
    """,
    "app/flask_models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)


        class Admin(User):
            pass
    """,
    "app/plain.py": """
        class Helper:
            __slots__ = ()


        class Settings(object):
            tablename = "not_a_model"
    """,
}


def touches(analysis: Analysis) -> dict[str, dict[str, dict[str, int]]]:
    """The data signal's touches as plain dicts (module -> model -> mode -> count)."""
    return {
        module: {model: dict(modes) for model, modes in found.items()}
        for module, found in analysis.data.touches.items()
    }


def links(analysis: Analysis, kind: str | None = None) -> set[tuple[str, str, str | None]]:
    """(source, target, binds) of the analysis' wiring links, of one kind or all."""
    return {(w.source, w.target, w.binds) for w in analysis.wiring if kind in (None, w.kind)}


def link_kinds(analysis: Analysis) -> Mapping[tuple[str, str], set[str]]:
    """(source, target) -> the kinds of links found between them."""
    found: dict[tuple[str, str], set[str]] = {}
    for w in analysis.wiring:
        found.setdefault((w.source, w.target), set()).add(w.kind)
    return found
