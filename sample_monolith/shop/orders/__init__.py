"""Orders: checkout, totals, VAT and the order lifecycle."""
from .service import cancel_order, pay_order, place_order, refund_order, ship_order

__all__ = ["cancel_order", "pay_order", "place_order", "refund_order", "ship_order"]
