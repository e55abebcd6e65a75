from dataclasses import dataclass, field
from enum import Enum

from ..core.db import now
from ..core.models import Entity
from ..core.money import Money


class PaymentStatus(str, Enum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    DECLINED = "declined"
    VOIDED = "voided"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


@dataclass(kw_only=True)
class Payment(Entity):
    id_prefix = "PAY"

    order_id: str = ""
    customer_id: str = ""
    method: str = ""
    method_label: str = ""
    amount: Money = field(default_factory=Money.zero)
    fee: Money = field(default_factory=Money.zero)
    status: PaymentStatus = PaymentStatus.PENDING
    gateway_reference: str = ""
    auth_code: str = ""
    captured_amount: Money = field(default_factory=Money.zero)
    refunded_amount: Money = field(default_factory=Money.zero)
    fraud_score: int = 0
    fraud_reasons: list = field(default_factory=list)
    decline_reason: str = ""
    three_ds: bool = False

    @property
    def refundable(self):
        return self.captured_amount - self.refunded_amount

    def age_days(self):
        return (now() - self.created_at).days if self.created_at else 0

    @property
    def successful(self):
        return self.status not in (PaymentStatus.PENDING, PaymentStatus.DECLINED, PaymentStatus.VOIDED)


@dataclass(kw_only=True)
class Refund(Entity):
    id_prefix = "REF"

    payment_id: str = ""
    order_id: str = ""
    amount: Money = field(default_factory=Money.zero)
    reason: str = ""
    gateway_reference: str = ""
