"""Notifications: templates, channels (e-mail, SMS) and the event handlers."""
from .base import Notifier
from .dispatcher import dispatcher
from .handlers import register

__all__ = ["Notifier", "dispatcher", "register"]
