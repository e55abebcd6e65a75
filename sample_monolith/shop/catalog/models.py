from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..core.db import now
from ..core.models import Entity
from ..core.money import Money

TAX_CLASSES = ("standard", "reduced", "zero")


@dataclass(kw_only=True)
class Category(Entity):
    id_prefix = "CAT"

    code: str = ""
    name: str = ""
    parent: str | None = None
    backorderable: bool = False

    def validate(self):
        errors = {}
        if not self.code or not self.code.isidentifier():
            errors["code"] = ["must be a lowercase identifier"]
        if not self.name:
            errors["name"] = ["is required"]
        return errors


@dataclass(kw_only=True)
class PriceBreak:
    min_quantity: int
    unit_price: Money


@dataclass(kw_only=True)
class Product(Entity):
    id_prefix = "PRD"

    sku: str = ""
    name: str = ""
    slug: str = ""
    category: str = ""
    price: Money = field(default_factory=Money.zero)
    cost: Money = field(default_factory=Money.zero)
    tax_class: str = "standard"
    weight_g: int = 0
    length_cm: int = 0
    width_cm: int = 0
    height_cm: int = 0
    active: bool = True
    price_breaks: list = field(default_factory=list)
    attributes: dict = field(default_factory=dict)

    def validate(self):
        errors = {}
        if not self.sku or len(self.sku) > 32 or not self.sku.replace("-", "").isalnum():
            errors["sku"] = ["must be 1-32 letters, digits or dashes"]
        if not self.name:
            errors["name"] = ["is required"]
        if self.price.is_negative() or not self.price:
            errors["price"] = ["must be positive"]
        if self.cost.is_negative():
            errors["cost"] = ["must not be negative"]
        if self.tax_class not in TAX_CLASSES:
            errors["tax_class"] = [f"must be one of {', '.join(TAX_CLASSES)}"]
        if self.weight_g <= 0:
            errors["weight_g"] = ["must be positive"]
        quantities = [b.min_quantity for b in self.price_breaks]
        if quantities != sorted(set(quantities)) or any(q < 2 for q in quantities):
            errors["price_breaks"] = ["quantities must be unique, ascending and >= 2"]
        return errors

    @property
    def margin(self):
        if not self.price:
            return Decimal(0)
        return ((self.price - self.cost).amount / self.price.amount * 100).quantize(Decimal("0.1"))

    @property
    def volume_cm3(self):
        return self.length_cm * self.width_cm * self.height_cm


@dataclass(kw_only=True)
class Promotion(Entity):
    id_prefix = "PRM"

    code: str = ""
    kind: str = "percent"  # percent | fixed | bundle
    value: Decimal = Decimal(0)
    min_basket: Money = field(default_factory=Money.zero)
    sku: str | None = None          # bundle: buy `buy` of sku, pay for `buy - free`
    buy: int = 0
    free: int = 0
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    max_uses: int | None = None
    uses: int = 0
    first_order_only: bool = False
    active: bool = True

    @property
    def is_running(self):
        current = now()
        if not self.active:
            return False
        if self.starts_at and current < self.starts_at:
            return False
        return self.ends_at is None or current < self.ends_at
