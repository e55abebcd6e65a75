"""Logging setup + the audit trail finance insisted on."""
import logging
import sys

ROOT = "shop"
_FORMAT = "%(levelname)-7s %(name)s: %(message)s"
_configured = False


class KeyValueFormatter(logging.Formatter):
    """Appends `extra={'kv': {...}}` as sorted key=value pairs.  No timestamps on purpose:
    the container runtime adds them."""

    def format(self, record):
        message = super().format(record)
        kv = getattr(record, "kv", None)
        if kv:
            message += " " + " ".join(f"{k}={kv[k]}" for k in sorted(kv))
        return message


def configure(level="WARNING", stream=None):
    global _configured
    logger = logging.getLogger(ROOT)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(KeyValueFormatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(getattr(logging, str(level).upper(), logging.WARNING))
    logger.propagate = False
    _configured = True
    return logger


def get_logger(name):
    if not _configured:
        configure()
    if not name.startswith(ROOT):
        name = f"{ROOT}.{name}"
    return logging.getLogger(name)


class AuditTrail:
    def __init__(self):
        self._entries = []

    def record(self, actor, action, subject, **details):
        entry = {
            "seq": len(self._entries) + 1,
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": dict(sorted(details.items())),
        }
        self._entries.append(entry)
        return entry

    def entries(self, action=None):
        return [e for e in self._entries if action is None or e["action"] == action]

    def for_subject(self, subject):
        return [e for e in self._entries if e["subject"] == subject]

    def clear(self):
        self._entries.clear()

    def __len__(self):
        return len(self._entries)


audit = AuditTrail()
