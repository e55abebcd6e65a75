from dataclasses import dataclass, field
from datetime import datetime

from ..core.db import now
from ..core.models import BaseModel, Entity


class OutOfStock(Exception):
    def __init__(self, shortages):
        self.shortages = shortages  # {sku: missing quantity}
        detail = ", ".join(f"{sku} (short {qty})" for sku, qty in sorted(shortages.items()))
        super().__init__(f"not enough stock: {detail}")


@dataclass(kw_only=True)
class Warehouse(Entity):
    id_prefix = "WH"

    code: str = ""
    name: str = ""
    priority: int = 1
    active: bool = True


@dataclass(kw_only=True)
class StockItem(Entity):
    id_prefix = "STK"

    sku: str = ""
    warehouse: str = ""
    on_hand: int = 0
    reserved: int = 0
    reorder_point: int = 0

    @property
    def available(self):
        return self.on_hand - self.reserved

    def validate(self):
        errors = {}
        if self.on_hand < 0:
            errors["on_hand"] = ["cannot be negative"]
        if self.reserved < 0 or self.reserved > self.on_hand:
            errors["reserved"] = [f"must be between 0 and on_hand ({self.on_hand})"]
        return errors


@dataclass(kw_only=True)
class Allocation(BaseModel):
    sku: str
    warehouse: str
    quantity: int


@dataclass(kw_only=True)
class Reservation(Entity):
    id_prefix = "RSV"

    order_ref: str = ""
    state: str = "active"  # active | committed | released | expired
    allocations: list = field(default_factory=list)
    expires_at: datetime | None = None
    backordered: dict = field(default_factory=dict)

    def quantity_for(self, sku):
        return sum(a.quantity for a in self.allocations if a.sku == sku)

    @property
    def is_open(self):
        return self.state == "active"

    @property
    def is_expired(self):
        return self.is_open and self.expires_at is not None and self.expires_at <= now()


@dataclass(kw_only=True)
class StockMovement(Entity):
    id_prefix = "MOV"

    sku: str = ""
    warehouse: str = ""
    delta: int = 0
    reason: str = ""
    reference: str = ""
