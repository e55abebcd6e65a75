"""Tracking status progression and delivery estimates."""
from ..core.db import now
from ..core.helpers import add_business_days
from .models import ShipmentStatus, TrackingEvent

ORDER = [
    ShipmentStatus.LABEL_CREATED,
    ShipmentStatus.PICKED_UP,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
]

# carrier status codes as they arrive from the webhook
CARRIER_CODES = {
    "PU": ShipmentStatus.PICKED_UP,
    "IT": ShipmentStatus.IN_TRANSIT,
    "OD": ShipmentStatus.OUT_FOR_DELIVERY,
    "DL": ShipmentStatus.DELIVERED,
    "RT": ShipmentStatus.RETURNED,
}


class TrackingError(ValueError):
    pass


def parse_status(code):
    try:
        return CARRIER_CODES[code.strip().upper()]
    except KeyError:
        raise TrackingError(f"unknown carrier status {code!r}") from None


def can_move(current, new):
    if current in (ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED):
        return False
    if new == ShipmentStatus.RETURNED:
        return current != ShipmentStatus.LABEL_CREATED
    return ORDER.index(new) > ORDER.index(current)


def apply(shipment, status, location=""):
    if not can_move(shipment.status, status):
        raise TrackingError(f"{shipment.id}: {shipment.status.value} -> {status.value} not allowed")
    shipment.status = status
    shipment.events.append(TrackingEvent(status=status, location=location, at=now()))
    return shipment


def estimate_delivery(shipped_at, days):
    return add_business_days(shipped_at, days)


def is_late(shipment, today=None):
    today = today or now().date()
    if shipment.status == ShipmentStatus.DELIVERED or shipment.estimated_delivery is None:
        return False
    return today > shipment.estimated_delivery


def timeline(shipment):
    return [f"{e.status.value}@{e.location or '-'}" for e in shipment.events]
