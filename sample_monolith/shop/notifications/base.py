"""Notifier base class.  Subclasses know one channel (email.py, sms.py)."""
from ..core.db import next_id, now
from ..core.log import get_logger

log = get_logger("notifications")


class DeliveryError(Exception):
    pass


class Notifier:
    channel = "base"

    def __init__(self, outbox=None):
        self.outbox = outbox if outbox is not None else []
        self.failures = []
        self.fail_next = 0  # test hook: make the next N deliveries fail

    def validate_recipient(self, recipient):
        raise NotImplementedError

    def build(self, recipient, subject, body):
        return {"id": next_id(f"MSG{self.channel.upper()}"), "channel": self.channel,
                "to": recipient, "subject": subject, "body": body, "at": now().isoformat()}

    def deliver(self, message):
        self.outbox.append(message)

    def send(self, recipient, subject, body):
        if not self.validate_recipient(recipient):
            raise DeliveryError(f"{self.channel}: invalid recipient {recipient!r}")
        message = self.build(recipient, subject, body)
        if self.fail_next:
            self.fail_next -= 1
            self.failures.append(message["id"])
            raise DeliveryError(f"{self.channel}: provider unavailable")
        self.deliver(message)
        log.debug("sent", extra={"kv": {"channel": self.channel, "id": message["id"]}})
        return message

    def sent(self):
        return list(self.outbox)

    def clear(self):
        self.outbox.clear()
        self.failures.clear()
        self.fail_next = 0
