"""Shipping price: zone x method x weight bracket, per parcel, with the free-shipping rule."""
from ..core.db import get_setting
from ..core.money import Money
from . import packing

METHODS = ("standard", "express")


class RateError(ValueError):
    pass


def zone_for(country):
    zone = get_setting("shipping.zones", {}).get(country)
    if zone is None:
        raise RateError(f"no shipping zone for {country}")
    return zone


def bracket_price(method, zone, weight_g):
    table = get_setting(f"shipping.rates.{method}.{zone}")
    if not table:
        raise RateError(f"no {method} rates for zone {zone}")
    for max_weight, price in table:
        if weight_g <= max_weight:
            return Money(price)
    raise RateError(f"{weight_g} g is over the heaviest {method} bracket for {zone}")


def free_shipping_applies(method, zone, basket_value):
    if method != "standard" or zone == "world":
        return False
    threshold = Money(get_setting("shipping.free_shipping_threshold", "75.00"), basket_value.currency)
    return basket_value >= threshold


def quote(country, items, method="standard", basket_value=None):
    """items: [(sku, unit_weight_g, qty)].  Returns dict with zone, parcels, cost."""
    if method not in METHODS:
        raise RateError(f"unknown shipping method {method!r}")
    zone = zone_for(country)
    parcels = packing.pack(items)
    cost = Money.zero()
    for parcel in parcels:
        cost = cost + bracket_price(method, zone, parcel.weight_g)
    free = basket_value is not None and free_shipping_applies(method, zone, basket_value)
    return {
        "zone": zone,
        "method": method,
        "parcels": len(parcels),
        "weight_g": sum(p.weight_g for p in parcels),
        "list_cost": cost,
        "cost": Money.zero() if free else cost,
        "free": free,
    }


def transit_days(method, zone):
    return int(get_setting(f"shipping.transit_days.{method}.{zone}", 10))
