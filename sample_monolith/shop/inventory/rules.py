"""Allocation and replenishment rules.

Allocation: ship from as few warehouses as possible; among equals prefer lower priority number.
"""
from ..core.db import get_setting
from . import repository
from .models import Allocation


def allocate(sku, quantity, warehouses):
    """Pick warehouses for one sku.  Returns (allocations, shortfall)."""
    items = []
    for warehouse in warehouses:
        item = repository.get_stock(sku, warehouse.code)
        if item is not None and item.available > 0:
            items.append((warehouse, item))
    # a single warehouse that can cover everything wins
    for warehouse, item in items:
        if item.available >= quantity:
            return [Allocation(sku=sku, warehouse=warehouse.code, quantity=quantity)], 0
    allocations = []
    remaining = quantity
    for warehouse, item in items:
        take = min(item.available, remaining)
        allocations.append(Allocation(sku=sku, warehouse=warehouse.code, quantity=take))
        remaining -= take
        if remaining == 0:
            break
    return allocations, remaining


def plan_allocations(lines, warehouses):
    """lines: {sku: qty}.  Prefer one warehouse for the whole order when one exists."""
    for warehouse in warehouses:
        if all(_available(sku, warehouse.code) >= qty for sku, qty in lines.items()):
            return [Allocation(sku=sku, warehouse=warehouse.code, quantity=qty)
                    for sku, qty in lines.items()], {}
    allocations, shortages = [], {}
    for sku, qty in lines.items():
        picked, short = allocate(sku, qty, warehouses)
        allocations.extend(picked)
        if short:
            shortages[sku] = short
    return allocations, shortages


def _available(sku, warehouse_code):
    item = repository.get_stock(sku, warehouse_code)
    return item.available if item is not None else 0


def can_backorder(category):
    return category in (get_setting("inventory.backorder_categories") or [])


def is_low(item, threshold=None):
    if threshold is None:
        threshold = item.reorder_point or get_setting("inventory.low_stock_threshold", 5)
    return item.available <= threshold


def reorder_quantity(total_available, reorder_point, sold_last_30_days):
    """Classic min/max: top up to two months of sales, at least twice the reorder point."""
    target = max(2 * reorder_point, 2 * sold_last_30_days)
    return max(target - total_available, 0)
