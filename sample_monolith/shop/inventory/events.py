"""Inventory events (names are part of the contract with notifications/reporting)."""
from ..core.db import now
from ..core.events import publish as _publish

STOCK_RECEIVED = "inventory.stock_received"
STOCK_LOW = "inventory.stock_low"
RESERVED = "inventory.reserved"
RELEASED = "inventory.released"
COMMITTED = "inventory.committed"


def publish(name, **payload):
    return _publish(name, occurred_at=now().isoformat(), **payload)


def stock_received(sku, warehouse, quantity):
    return publish(STOCK_RECEIVED, sku=sku, warehouse=warehouse, quantity=quantity)


def stock_low(sku, available):
    return publish(STOCK_LOW, sku=sku, available=available)


def reserved(reservation):
    return publish(RESERVED, reservation_id=reservation.id, order_ref=reservation.order_ref,
                   backordered=dict(reservation.backordered))


def released(reservation, reason):
    return publish(RELEASED, reservation_id=reservation.id, order_ref=reservation.order_ref, reason=reason)


def committed(reservation):
    return publish(COMMITTED, reservation_id=reservation.id, order_ref=reservation.order_ref)
