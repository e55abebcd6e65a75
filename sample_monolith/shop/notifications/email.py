"""E-mail notifier.  Wraps the body at 72 columns like the old Perl mailer did."""
import textwrap

from ..core.db import get_setting
from ..core.helpers import stable_hash
from ..core.text import is_email
from .base import Notifier


class EmailNotifier(Notifier):
    channel = "email"
    width = 72

    def validate_recipient(self, recipient):
        return is_email(recipient)

    def wrap(self, body):
        paragraphs = body.strip("\n").split("\n\n")
        wrapped = []
        for paragraph in paragraphs:
            lines = paragraph.split("\n")
            if any(line.startswith(("  ", "- ", "* ")) for line in lines):
                wrapped.append(paragraph)  # lists and tables stay as they are
            else:
                wrapped.append(textwrap.fill(" ".join(l.strip() for l in lines), self.width))
        return "\n\n".join(wrapped) + "\n"

    def build(self, recipient, subject, body):
        message = super().build(recipient, subject, self.wrap(body))
        domain = get_setting("shop.support_email", "shop@example.invalid").split("@")[1]
        message["headers"] = {
            "From": get_setting("notifications.sender"),
            "To": recipient,
            "Subject": subject,
            "Message-ID": f"<{stable_hash(message['id'], recipient, length=16)}@{domain}>",
        }
        return message
