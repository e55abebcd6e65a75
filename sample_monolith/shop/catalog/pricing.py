"""Unit prices: list price, quantity breaks, tier discounts.  Tax is orders' business."""
from decimal import Decimal

from ..core.db import get_setting
from ..core.money import Money
from . import repository


def unit_price(product, quantity):
    """Best quantity-break price that applies to `quantity` (breaks are ascending)."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    price = product.price
    for price_break in product.price_breaks:
        if quantity >= price_break.min_quantity and price_break.unit_price < price:
            price = price_break.unit_price
    return price


def line_price(product, quantity):
    return unit_price(product, quantity) * quantity


def savings(product, quantity):
    return product.price * quantity - line_price(product, quantity)


def quote(sku, quantity, discount_percent=Decimal(0)):
    product = repository.get_product(sku)
    gross = line_price(product, quantity)
    currency = get_setting("shop.currency", "EUR")
    if gross.currency != currency:
        raise ValueError(f"{sku} is priced in {gross.currency}, the shop sells in {currency}")
    discount = gross.percent(discount_percent) if discount_percent else Money.zero(currency)
    return {
        "sku": sku,
        "quantity": quantity,
        "unit_price": unit_price(product, quantity),
        "line_price": gross,
        "discount": discount,
        "net": gross - discount,
    }


def reprice(product, new_price, max_change_percent=Decimal(50)):
    """Price changes over 50% need the override flag in admin (fat-finger guard)."""
    if product.price:
        change = abs(new_price.amount - product.price.amount) / product.price.amount * 100
        if change > max_change_percent:
            raise ValueError(f"price change of {change:.0f}% for {product.sku} needs an override")
    if new_price < product.cost:
        raise ValueError(f"{product.sku}: price below cost")
    product.price = new_price
    # breaks above the new list price are pointless; drop them
    product.price_breaks = [b for b in product.price_breaks if b.unit_price < new_price]
    return product
