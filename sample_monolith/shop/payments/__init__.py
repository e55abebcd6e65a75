"""Payments: methods, the gateway client, fraud scoring, captures and refunds."""
from .methods import PaymentMethod
from .service import authorize, capture, refund, void

__all__ = ["PaymentMethod", "authorize", "capture", "refund", "void"]
