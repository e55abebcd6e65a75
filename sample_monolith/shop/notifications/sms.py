"""SMS notifier.  GSM-7 segments: 160 chars single, 153 per part when concatenated."""
from decimal import Decimal

from ..core.db import get_setting
from ..core.money import Money
from .base import Notifier

MAX_SEGMENTS = 4


def segments(text, single=None):
    single = single or get_setting("notifications.sms_segment_length", 160)
    if len(text) <= single:
        return [text]
    part = single - 7  # user data header of concatenated messages
    return [text[i:i + part] for i in range(0, len(text), part)]


class SmsNotifier(Notifier):
    channel = "sms"

    def validate_recipient(self, recipient):
        return recipient.startswith("+") and recipient[1:].isdigit() and 8 <= len(recipient) - 1 <= 15

    def build(self, recipient, subject, body):
        text = " ".join(body.split())  # SMS has no layout
        parts = segments(text)
        if len(parts) > MAX_SEGMENTS:
            parts = segments(text[: (MAX_SEGMENTS * 153) - 3] + "...")
        message = super().build(recipient, subject, " ".join(parts))
        message["segments"] = len(parts)
        message["cost"] = Money(get_setting("notifications.sms_cost_per_segment", "0.07")) * Decimal(len(parts))
        return message

    def spend(self):
        total = Money.zero()
        for message in self.outbox:
            total = total + message["cost"]
        return total
