"""Stock levels and reservations."""
from datetime import timedelta

from ..core import db as database
from ..core.db import db
from ..core.log import audit, get_logger
from . import events, repository, rules
from .models import OutOfStock, Reservation, StockItem, StockMovement, Warehouse

log = get_logger("inventory.service")


def add_warehouse(code, name, priority):
    return repository.save_warehouse(Warehouse(code=code, name=name, priority=priority))


def receive(sku, warehouse, quantity, reference="", reorder_point=0):
    if quantity <= 0:
        raise ValueError("received quantity must be positive")
    item = repository.get_stock(sku, warehouse) or StockItem(sku=sku, warehouse=warehouse)
    item.on_hand += quantity
    if reorder_point:
        item.reorder_point = reorder_point
    repository.save_stock(item)
    repository.record_movement(StockMovement(sku=sku, warehouse=warehouse, delta=quantity,
                                             reason="received", reference=reference))
    events.stock_received(sku, warehouse, quantity)
    return item


def available(sku):
    return sum(item.available for item in repository.stock_for_sku(sku))


def on_hand(sku):
    return sum(item.on_hand for item in repository.stock_for_sku(sku))


def reserve(order_ref, lines, categories=None):
    """lines: {sku: qty}; categories: {sku: category} for the backorder rule.

    Either everything is reserved or nothing is (OutOfStock lists the shortfall).
    Backorderable categories (books) reserve what exists and note the rest.
    """
    categories = categories or {}
    warehouses = repository.list_warehouses()
    with db.transaction():
        allocations, shortages = rules.plan_allocations(lines, warehouses)
        backordered = {sku: qty for sku, qty in shortages.items()
                       if rules.can_backorder(categories.get(sku))}
        hard = {sku: qty for sku, qty in shortages.items() if sku not in backordered}
        if hard:
            raise OutOfStock(hard)
        for allocation in allocations:
            if allocation.quantity == 0:
                continue
            item = repository.get_stock(allocation.sku, allocation.warehouse)
            item.reserved += allocation.quantity
            repository.save_stock(item)
        ttl = database.get_setting("inventory.reservation_ttl_minutes", 30)
        reservation = Reservation(
            order_ref=order_ref,
            allocations=[a for a in allocations if a.quantity],
            expires_at=database.now() + timedelta(minutes=ttl),
            backordered=backordered,
        )
        repository.save_reservation(reservation)
    events.reserved(reservation)
    _check_low(lines)
    return reservation


def _check_low(lines):
    """Only fire when a reservation pushes a sku across its threshold, not on every order."""
    default = database.get_setting("inventory.low_stock_threshold", 5)
    for sku in sorted(lines):
        items = repository.stock_for_sku(sku)
        if not items:
            continue
        threshold = max(i.reorder_point for i in items) or default
        after = available(sku)
        before = after + lines[sku]
        if after <= threshold < before:
            events.stock_low(sku, after)


def extend(order_ref, minutes):
    """Payment in progress: keep the reservation alive a bit longer."""
    reservation = repository.reservation_for_order(order_ref)
    if reservation.is_open:
        reservation.expires_at = max(reservation.expires_at, database.now()) + timedelta(minutes=minutes)
        repository.save_reservation(reservation)
    return reservation


def release(order_ref, reason="cancelled"):
    reservation = repository.reservation_for_order(order_ref)
    if not reservation.is_open:
        return reservation
    for allocation in reservation.allocations:
        item = repository.get_stock(allocation.sku, allocation.warehouse)
        item.reserved -= allocation.quantity
        repository.save_stock(item)
    reservation.state = "expired" if reason == "expired" else "released"
    repository.save_reservation(reservation)
    events.released(reservation, reason)
    return reservation


def commit(order_ref):
    """Goods leave the building: reserved stock becomes a real decrement."""
    reservation = repository.reservation_for_order(order_ref)
    if reservation.state == "committed":
        return reservation
    if not reservation.is_open:
        raise ValueError(f"reservation for {order_ref} is {reservation.state}")
    with db.transaction():
        for allocation in reservation.allocations:
            item = repository.get_stock(allocation.sku, allocation.warehouse)
            item.reserved -= allocation.quantity
            item.on_hand -= allocation.quantity
            repository.save_stock(item)
            repository.record_movement(StockMovement(
                sku=allocation.sku, warehouse=allocation.warehouse, delta=-allocation.quantity,
                reason="shipped", reference=order_ref))
        reservation.state = "committed"
        repository.save_reservation(reservation)
    events.committed(reservation)
    audit.record("inventory", "reservation.committed", order_ref)
    return reservation


def restock(order_ref, sku, quantity, warehouse=None):
    """Customer return: put goods back into the warehouse they came from."""
    reservation = repository.reservation_for_order(order_ref)
    if warehouse is None:
        sources = [a.warehouse for a in reservation.allocations if a.sku == sku]
        if not sources:
            raise ValueError(f"{sku} was not part of {order_ref}")
        warehouse = sources[0]
    return receive(sku, warehouse, quantity, reference=f"return:{order_ref}")


def expire_reservations():
    """Cron job (every 5 min in prod).  Returns the order refs whose reservation expired."""
    now = database.now()
    expired = []
    for reservation in sorted(repository.open_reservations(), key=lambda r: r.order_ref):
        if reservation.expires_at and reservation.expires_at <= now:
            release(reservation.order_ref, reason="expired")
            expired.append(reservation.order_ref)
    if expired:
        log.info("reservations expired", extra={"kv": {"count": len(expired)}})
    return expired


def stock_report():
    rows = []
    for item in repository.all_stock():
        rows.append({"sku": item.sku, "warehouse": item.warehouse, "on_hand": item.on_hand,
                     "reserved": item.reserved, "available": item.available,
                     "low": rules.is_low(item)})
    return rows
