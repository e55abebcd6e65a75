"""Promotion codes.  Marketing adds new kinds every quarter; keep `apply` a dispatcher."""
from decimal import Decimal

from ..core import db as database
from ..core.money import Money
from . import repository


class PromotionError(ValueError):
    pass


def check_eligibility(promotion, subtotal, now, is_first_order=False):
    if promotion is None:
        raise PromotionError("unknown promotion code")
    if not promotion.active:
        raise PromotionError(f"promotion {promotion.code} is no longer active")
    if promotion.starts_at and now < promotion.starts_at:
        raise PromotionError(f"promotion {promotion.code} has not started yet")
    if promotion.ends_at and now >= promotion.ends_at:
        raise PromotionError(f"promotion {promotion.code} has expired")
    if promotion.max_uses is not None and promotion.uses >= promotion.max_uses:
        raise PromotionError(f"promotion {promotion.code} is used up")
    if promotion.first_order_only and not is_first_order:
        raise PromotionError(f"promotion {promotion.code} is only valid on a first order")
    if subtotal < promotion.min_basket:
        raise PromotionError(
            f"promotion {promotion.code} needs a basket of at least {promotion.min_basket.format()}"
        )


def _percent(promotion, lines, subtotal):
    return subtotal.percent(promotion.value)


def _fixed(promotion, lines, subtotal):
    amount = Money(promotion.value, subtotal.currency)
    return amount if amount <= subtotal else subtotal


def _bundle(promotion, lines, subtotal):
    """Buy `buy`, get `free` of them free -- cheapest units of the sku go free."""
    units = []
    for line in lines:
        if line["sku"] == promotion.sku:
            units.extend([line["unit_price"]] * line["quantity"])
    if promotion.buy <= 0 or not units:
        return Money.zero(subtotal.currency)
    free_units = (len(units) // promotion.buy) * promotion.free
    units.sort(key=lambda m: m.amount)
    discount = Money.zero(subtotal.currency)
    for price in units[:free_units]:
        discount = discount + price
    return discount


_KINDS = {"percent": _percent, "fixed": _fixed, "bundle": _bundle}


def calculate_discount(code, lines, subtotal, is_first_order=False):
    """lines: [{'sku', 'quantity', 'unit_price'}].  Returns (promotion, Money discount)."""
    promotion = repository.find_promotion(code)
    check_eligibility(promotion, subtotal, database.now(), is_first_order)
    try:
        rule = _KINDS[promotion.kind]
    except KeyError:
        raise PromotionError(f"promotion kind {promotion.kind!r} not supported") from None
    discount = rule(promotion, lines, subtotal)
    if discount > subtotal:
        discount = subtotal
    return promotion, discount


def redeem(code):
    promotion = repository.find_promotion(code)
    if promotion is None:
        raise PromotionError("unknown promotion code")
    promotion.uses += 1
    if promotion.max_uses is not None and promotion.uses >= promotion.max_uses:
        promotion.active = False
    repository.save_promotion(promotion)
    return promotion


def release(code):
    """Give a use back (order cancelled before shipping)."""
    promotion = repository.find_promotion(code)
    if promotion is not None and promotion.uses > 0:
        promotion.uses -= 1
        if promotion.max_uses is None or promotion.uses < promotion.max_uses:
            if promotion.ends_at is None or database.now() < promotion.ends_at:
                promotion.active = True
        repository.save_promotion(promotion)
    return promotion


def describe(promotion):
    if promotion.kind == "percent":
        return f"{promotion.value.normalize()}% off"
    if promotion.kind == "fixed":
        return f"{Money(promotion.value).format()} off"
    if promotion.kind == "bundle":
        return f"buy {promotion.buy} {promotion.sku}, {promotion.free} free"
    return promotion.kind


def normalise_value(kind, value):
    value = Decimal(str(value))
    if kind == "percent" and not 0 < value <= 100:
        raise PromotionError("percent promotions must be between 0 and 100")
    if kind == "fixed" and value <= 0:
        raise PromotionError("fixed promotions must be positive")
    return value
