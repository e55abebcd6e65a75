"""Payment method base class.  One subclass per way of paying (card.py, wallet.py)."""
from decimal import Decimal

from ..core.db import get_setting
from ..core.money import Money


class PaymentMethod:
    kind = "base"
    fee_percent_setting = None
    fee_fixed_setting = None
    supports_partial_refund = True

    def __init__(self, **details):
        self.details = details

    def validate(self):
        """Return {field: [messages]}; empty when the details look usable."""
        return {}

    def token(self):
        raise NotImplementedError

    def label(self):
        return self.kind

    def fee(self, amount):
        percent = Decimal(str(get_setting(self.fee_percent_setting, "0"))) if self.fee_percent_setting else Decimal(0)
        fixed = Money(get_setting(self.fee_fixed_setting, "0"), amount.currency) if self.fee_fixed_setting else Money.zero(amount.currency)
        return amount.percent(percent) + fixed

    def requires_challenge(self, amount):
        return False

    def __repr__(self):
        return f"<{type(self).__name__} {self.label()}>"
