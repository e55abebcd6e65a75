from ..core.db import db
from ..core.errors import NotFound

shipments = db.table("shipments", unique=("order_id",))


def save(shipment):
    shipment.assign_id()
    shipment.touch()
    return shipments.save(shipment)


def get(shipment_id):
    return shipments.get(shipment_id)


def for_order(order_id):
    shipment = shipments.get_by("order_id", order_id)
    if shipment is None:
        raise NotFound("shipment", order_id)
    return shipment


def find_for_order(order_id):
    return shipments.get_by("order_id", order_id)


def by_tracking_number(number):
    for shipment in shipments.all():
        if number in shipment.tracking_numbers:
            return shipment
    raise NotFound("tracking number", number)


def list_all():
    return sorted(shipments.all(), key=lambda s: s.id)
