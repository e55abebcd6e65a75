"""Routes a notification to the customer's channels with retries and de-duplication."""
from ..core.db import get_setting
from ..core.log import get_logger
from . import templates
from .base import DeliveryError
from .email import EmailNotifier
from .sms import SmsNotifier

log = get_logger("notifications.dispatcher")


class Dispatcher:
    def __init__(self, notifiers=None):
        self.notifiers = notifiers or {"email": EmailNotifier(), "sms": SmsNotifier()}
        self._sent_keys = set()
        self.dead_letters = []

    def _send_with_retry(self, notifier, recipient, subject, body):
        attempts = get_setting("notifications.max_attempts", 3)
        last_error = None
        for _ in range(attempts):
            try:
                return notifier.send(recipient, subject, body)
            except DeliveryError as exc:
                last_error = exc
                if "invalid recipient" in str(exc):
                    break
        self.dead_letters.append((notifier.channel, recipient, subject, str(last_error)))
        log.warning("giving up", extra={"kv": {"channel": notifier.channel, "subject": subject}})
        return None

    def notify(self, contact, template, key, **context):
        """contact: {'email', 'phone', 'language', 'channels', 'name'}.  key de-duplicates."""
        sent = []
        context.setdefault("name", contact.get("name", ""))
        context.setdefault("first_name", (contact.get("name") or "").split(" ")[0])
        for channel in contact.get("channels", ["email"]):
            dedup = (key, channel)
            if dedup in self._sent_keys or channel not in self.notifiers:
                continue
            if not templates.available(template, channel, contact.get("language", "en")):
                continue
            recipient = contact.get("email") if channel == "email" else contact.get("phone")
            if not recipient:
                continue
            subject, body = templates.render(template, channel, contact.get("language", "en"), **context)
            message = self._send_with_retry(self.notifiers[channel], recipient, subject, body)
            if message is not None:
                self._sent_keys.add(dedup)
                sent.append(message)
        return sent

    def notify_ops(self, template, key, **context):
        contact = {"email": get_setting("notifications.ops_email"), "channels": ["email"],
                   "language": "en", "name": "Ops"}
        return self.notify(contact, template, key, **context)

    def outbox(self, channel=None):
        messages = []
        for name in sorted(self.notifiers):
            if channel is None or channel == name:
                messages.extend(self.notifiers[name].sent())
        return sorted(messages, key=lambda m: m["id"])

    def reset(self):
        for notifier in self.notifiers.values():
            notifier.clear()
        self._sent_keys.clear()
        self.dead_letters.clear()


dispatcher = Dispatcher()
