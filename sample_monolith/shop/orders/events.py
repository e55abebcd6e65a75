"""Order events.  notifications/ and reporting/ depend on these names and payloads."""
from ..core.db import now
from ..core.events import publish as _publish

PLACED = "orders.placed"
AUTHORIZED = "orders.authorized"
PAYMENT_FAILED = "orders.payment_failed"
SHIPPED = "orders.shipped"
DELIVERED = "orders.delivered"
CANCELLED = "orders.cancelled"
EXPIRED = "orders.expired"
REFUNDED = "orders.refunded"


def publish(name, **payload):
    return _publish(name, occurred_at=now().isoformat(), **payload)


def order_placed(order):
    return publish(PLACED, order_id=order.id, customer_id=order.customer_id, total=str(order.total))


def order_authorized(order):
    return publish(AUTHORIZED, order_id=order.id, payment_id=order.payment_id)


def payment_failed(order, reason):
    return publish(PAYMENT_FAILED, order_id=order.id, customer_id=order.customer_id, reason=reason)


def order_shipped(order, shipment):
    return publish(SHIPPED, order_id=order.id, customer_id=order.customer_id,
                   shipment_id=shipment.id, tracking_numbers=list(shipment.tracking_numbers))


def order_delivered(order):
    return publish(DELIVERED, order_id=order.id, customer_id=order.customer_id)


def order_cancelled(order, reason):
    return publish(CANCELLED, order_id=order.id, customer_id=order.customer_id, reason=reason)


def order_expired(order):
    return publish(EXPIRED, order_id=order.id, customer_id=order.customer_id)


def order_refunded(order, amount, full):
    return publish(REFUNDED, order_id=order.id, customer_id=order.customer_id,
                   amount=str(amount), full=full)
