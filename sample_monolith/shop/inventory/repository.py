from ..core.db import db
from ..core.errors import NotFound

warehouses = db.table("warehouses", unique=("code",))
stock = db.table("stock_items")
reservations = db.table("reservations", unique=("order_ref",))
movements = db.table("stock_movements")


def stock_key(sku, warehouse):
    return f"{sku}@{warehouse}"


def save_warehouse(warehouse):
    warehouse.assign_id()
    warehouse.touch()
    return warehouses.save(warehouse)


def list_warehouses(active_only=True):
    rows = [w for w in warehouses.all() if w.active or not active_only]
    return sorted(rows, key=lambda w: (w.priority, w.code))


def get_stock(sku, warehouse):
    return stock.find(stock_key(sku, warehouse))


def stock_for_sku(sku):
    return sorted(stock.where(sku=sku), key=lambda s: s.warehouse)


def all_stock():
    return sorted(stock.all(), key=lambda s: (s.sku, s.warehouse))


def save_stock(item):
    item.id = stock_key(item.sku, item.warehouse)
    item.touch()
    item.check()
    return stock.save(item)


def save_reservation(reservation):
    reservation.assign_id()
    reservation.touch()
    return reservations.save(reservation)


def get_reservation(reservation_id):
    return reservations.get(reservation_id)


def reservation_for_order(order_ref):
    reservation = reservations.get_by("order_ref", order_ref)
    if reservation is None:
        raise NotFound("reservation", order_ref)
    return reservation


def open_reservations():
    return [r for r in reservations.all() if r.is_open]


def record_movement(movement):
    movement.assign_id()
    movement.touch()
    return movements.insert(movement)


def movements_for(sku):
    return movements.where(sku=sku)
