from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from ..core.db import get_setting
from ..core.models import BaseModel, Entity
from ..core.money import Money
from ..customers.models import Address


class OrderStatus(str, Enum):
    PENDING_PAYMENT = "pending_payment"
    AUTHORIZED = "authorized"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


OPEN_STATUSES = (OrderStatus.PENDING_PAYMENT, OrderStatus.AUTHORIZED)
REVENUE_STATUSES = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED,
                    OrderStatus.REFUNDED)


@dataclass(kw_only=True)
class OrderLine(BaseModel):
    sku: str
    name: str
    category: str
    quantity: int
    list_price: Money
    unit_price: Money
    tax_class: str = "standard"
    weight_g: int = 0
    discount: Money = field(default_factory=Money.zero)
    tax_rate: Decimal = Decimal(0)
    tax: Money = field(default_factory=Money.zero)
    refunded_quantity: int = 0

    @property
    def gross_price(self):
        return self.unit_price * self.quantity

    @property
    def net(self):
        return self.gross_price - self.discount

    @property
    def total(self):
        return self.net + self.tax

    @property
    def refundable_quantity(self):
        return self.quantity - self.refunded_quantity


@dataclass(kw_only=True)
class Order(Entity):
    id_prefix = "ORD"

    customer_id: str = ""
    status: OrderStatus = OrderStatus.PENDING_PAYMENT
    lines: list = field(default_factory=list)
    shipping_address: Address | None = None
    billing_address: Address | None = None
    shipping_method: str = "standard"
    currency: str = field(default_factory=lambda: get_setting("shop.currency", "EUR"))
    subtotal: Money = field(default_factory=Money.zero)
    promo_code: str | None = None
    promo_discount: Money = field(default_factory=Money.zero)
    loyalty_discount: Money = field(default_factory=Money.zero)
    shipping_cost: Money = field(default_factory=Money.zero)
    shipping_tax: Money = field(default_factory=Money.zero)
    tax_total: Money = field(default_factory=Money.zero)
    total: Money = field(default_factory=Money.zero)
    refunded_total: Money = field(default_factory=Money.zero)
    payment_id: str | None = None
    reservation_id: str | None = None
    shipment_id: str | None = None
    history: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def line(self, sku):
        for line in self.lines:
            if line.sku == sku:
                return line
        return None

    @property
    def discount_total(self):
        return self.promo_discount + self.loyalty_discount

    @property
    def item_count(self):
        return sum(line.quantity for line in self.lines)

    @property
    def net_total(self):
        return self.total - self.tax_total

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES
