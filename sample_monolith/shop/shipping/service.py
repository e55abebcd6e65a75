"""Shipments.  Reads the order straight from the orders tables (there was no time for an API)."""
from typing import TYPE_CHECKING

from ..core.db import now
from ..core.events import publish
from ..core.log import audit
from ..orders import repository as order_repository
from . import carrier as carriers, rates, repository, tracking
from .models import Shipment, ShipmentStatus, TrackingEvent

if TYPE_CHECKING:
    from ..orders.models import Order


def parcel_items(order: "Order"):
    return [(line.sku, line.weight_g, line.quantity) for line in order.lines]


def create_shipment(order_id):
    order = order_repository.get(order_id)
    existing = repository.find_for_order(order_id)
    if existing is not None:
        return existing
    zone = rates.zone_for(order.shipping_address.country)
    quote = rates.quote(order.shipping_address.country, parcel_items(order), order.shipping_method)
    shipment = Shipment(order_id=order.id, method=order.shipping_method, zone=zone,
                        country=order.shipping_address.country, cost=quote["list_cost"])
    from .packing import pack  # parcels again, with the real items, for the labels

    shipment.parcels = pack(parcel_items(order))
    shipment.assign_id()
    carrier = carriers.get_carrier()
    shipment.carrier = carrier.code
    carrier.book(shipment)
    shipment.estimated_delivery = tracking.estimate_delivery(
        now(), rates.transit_days(order.shipping_method, zone))
    shipment.events.append(TrackingEvent(status=ShipmentStatus.LABEL_CREATED, location="BER", at=now()))
    repository.save(shipment)
    audit.record("shipping", "shipment.created", order.id, shipment=shipment.id)
    publish("shipping.shipment_created", shipment_id=shipment.id, order_id=order.id,
            tracking_numbers=list(shipment.tracking_numbers))
    return shipment


def update_tracking(tracking_number, carrier_code, location=""):
    shipment = repository.by_tracking_number(tracking_number)
    status = tracking.parse_status(carrier_code)
    tracking.apply(shipment, status, location)
    repository.save(shipment)
    publish("shipping.status_changed", shipment_id=shipment.id, order_id=shipment.order_id,
            status=status.value)
    if status == ShipmentStatus.DELIVERED:
        publish("shipping.delivered", shipment_id=shipment.id, order_id=shipment.order_id)
    return shipment


def cancel_shipment(order_id):
    shipment = repository.for_order(order_id)
    if shipment.status != ShipmentStatus.LABEL_CREATED:
        raise tracking.TrackingError(f"{shipment.id} already left the warehouse")
    carrier = carriers.get_carrier()
    for number in shipment.tracking_numbers:
        carrier.cancel(number)
    shipment.status = ShipmentStatus.RETURNED
    repository.save(shipment)
    return shipment


def late_shipments():
    return [s for s in repository.list_all() if tracking.is_late(s)]
