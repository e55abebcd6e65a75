"""Catalog use cases (what the admin screens and the importer call)."""
from decimal import Decimal

from ..core import db as database
from ..core.events import publish
from ..core.log import audit, get_logger
from ..core.money import Money
from ..core.text import slugify
from ..core.validation import Validator
from . import pricing, promotions, repository
from .models import Category, PriceBreak, Product, Promotion

log = get_logger("catalog.service")


def create_category(code, name, parent=None, backorderable=False):
    if parent is not None:
        repository.get_category(parent)
    category = Category(code=code, name=name, parent=parent, backorderable=backorderable)
    category.check()
    return repository.save_category(category)


def create_product(sku, name, category, price, cost="0", tax_class="standard", weight_g=0,
                   dimensions=(0, 0, 0), price_breaks=(), **attributes):
    v = Validator()
    v.require("sku", sku)
    v.check(repository.find_product(sku) is None, "sku", "already exists")
    v.raise_if_errors()
    repository.get_category(category)
    currency = database.get_setting("shop.currency", "EUR")
    length, width, height = dimensions
    product = Product(
        sku=sku.upper(),
        name=name,
        slug=slugify(name),
        category=category,
        price=Money(price, currency),
        cost=Money(cost, currency),
        tax_class=tax_class,
        weight_g=int(weight_g),
        length_cm=length,
        width_cm=width,
        height_cm=height,
        price_breaks=[PriceBreak(min_quantity=q, unit_price=Money(p, currency)) for q, p in price_breaks],
        attributes=dict(sorted(attributes.items())),
    )
    product.check()
    repository.save_product(product)
    audit.record("catalog", "product.created", product.sku, price=str(product.price))
    publish("catalog.product_created", sku=product.sku, category=category)
    return product


def change_price(sku, new_price, override=False):
    product = repository.get_product(sku)
    old = product.price
    limit = Decimal(100000) if override else Decimal(50)
    pricing.reprice(product, Money(new_price, old.currency), max_change_percent=limit)
    repository.save_product(product)
    audit.record("catalog", "product.repriced", sku, old=str(old), new=str(product.price))
    publish("catalog.price_changed", sku=sku, old=str(old), new=str(product.price))
    return product


def deactivate(sku, reason):
    product = repository.get_product(sku)
    if not product.active:
        return product
    product.active = False
    repository.save_product(product)
    log.info("product deactivated", extra={"kv": {"sku": sku, "reason": reason}})
    publish("catalog.product_deactivated", sku=sku, reason=reason)
    return product


def create_promotion(code, kind, value, min_basket="0", sku=None, buy=0, free=0,
                     max_uses=None, first_order_only=False, days_valid=None):
    code = code.strip().upper()
    if repository.find_promotion(code) is not None:
        raise promotions.PromotionError(f"promotion {code} exists")
    if kind == "bundle":
        repository.get_product(sku)
        if not 0 < free < buy:
            raise promotions.PromotionError("bundle needs 0 < free < buy")
        value = Decimal(0)
    else:
        value = promotions.normalise_value(kind, value)
    now = database.now()
    promotion = Promotion(
        code=code, kind=kind, value=value, min_basket=Money(min_basket), sku=sku, buy=buy,
        free=free, max_uses=max_uses, first_order_only=first_order_only, starts_at=now,
        ends_at=None if days_valid is None else now.replace(hour=0, minute=0) + _days(days_valid),
    )
    return repository.save_promotion(promotion)


def _days(n):
    from datetime import timedelta

    return timedelta(days=n)


def product_view(product):
    return {
        "sku": product.sku,
        "name": product.name,
        "slug": product.slug,
        "category": product.category,
        "price": str(product.price),
        "tax_class": product.tax_class,
        "weight_g": product.weight_g,
        "price_breaks": [{"from": b.min_quantity, "price": str(b.unit_price)} for b in product.price_breaks],
        "active": product.active,
    }
