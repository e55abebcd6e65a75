from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from ..core.db import now
from ..core.models import BaseModel, Entity
from ..core.money import Money


class ShipmentStatus(str, Enum):
    LABEL_CREATED = "label_created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    RETURNED = "returned"


@dataclass(kw_only=True)
class Parcel(BaseModel):
    number: int
    weight_g: int = 0
    items: list = field(default_factory=list)  # [(sku, qty)]
    tracking_number: str = ""


@dataclass(kw_only=True)
class TrackingEvent(BaseModel):
    status: ShipmentStatus
    location: str = ""
    at: object = None


@dataclass(kw_only=True)
class Shipment(Entity):
    id_prefix = "SHP"

    order_id: str = ""
    carrier: str = ""
    method: str = "standard"
    zone: str = ""
    country: str = ""
    status: ShipmentStatus = ShipmentStatus.LABEL_CREATED
    parcels: list = field(default_factory=list)
    cost: Money = field(default_factory=Money.zero)
    estimated_delivery: date | None = None
    events: list = field(default_factory=list)

    @property
    def tracking_numbers(self):
        return [p.tracking_number for p in self.parcels]

    @property
    def weight_g(self):
        return sum(p.weight_g for p in self.parcels)

    def days_in_transit(self):
        if not self.events:
            return 0
        end = self.events[-1].at if self.status == ShipmentStatus.DELIVERED else now()
        return (end.date() - self.events[0].at.date()).days
