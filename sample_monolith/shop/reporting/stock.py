"""Stock valuation and health."""
from ..core.db import get_setting
from ..core.money import Money
from . import aggregation


def valuation(stock_items, products_by_sku):
    """On-hand units valued at cost, per warehouse."""
    rows = [(item.warehouse, products_by_sku[item.sku].cost * item.on_hand)
            for item in stock_items if item.sku in products_by_sku]
    per_warehouse = aggregation.group_sum(rows, lambda r: r[0], lambda r: r[1])
    total = Money.zero()
    for value in per_warehouse.values():
        total = total + value
    return {"warehouses": per_warehouse, "total": total}


def low_stock(stock_items, threshold=None):
    if threshold is None:
        threshold = get_setting("inventory.low_stock_threshold", 5)
    totals = aggregation.group_sum(stock_items, lambda i: i.sku, lambda i: i.available)
    return [(sku, qty) for sku, qty in totals.items() if qty <= threshold]


def sell_through(units_sold, stock_items):
    """Units sold / (sold + still on hand), in percent, per sku."""
    on_hand = aggregation.group_sum(stock_items, lambda i: i.sku, lambda i: i.on_hand)
    result = {}
    for sku, sold in sorted(units_sold.items()):
        remaining = on_hand.get(sku, 0)
        denominator = sold + remaining
        result[sku] = aggregation.shares({"s": sold, "r": remaining})["s"] if denominator else 0
    return result
