"""Event handlers that turn domain events into customer messages.  Wired up by app.py."""
from ..core.db import get_setting
from ..core.events import bus as default_bus
from ..core.money import Money
from .dispatcher import dispatcher


def _contact(customer_id):
    from ..customers import service as customer_service  # avoid importing customers at startup

    return customer_service.contact_preferences(customer_id)


def _order(order_id):
    from ..orders import repository as order_repository

    return order_repository.get(order_id)


def on_customer_registered(event):
    tiers = get_setting("customers.loyalty.tiers", [])
    silver = next((t["min_spend"] for t in tiers if t["name"] == "silver"), "0")
    contact = _contact(event["customer_id"])
    contact["channels"] = ["email"]  # no SMS before the first order
    dispatcher.notify(contact, "welcome", f"welcome:{event['customer_id']}", silver_at=Money(silver))


def on_order_placed(event):
    order = _order(event["order_id"])
    dispatcher.notify(_contact(order.customer_id), "order_confirmation", f"placed:{order.id}", order=order)


def on_payment_failed(event):
    dispatcher.notify(_contact(event["customer_id"]), "payment_failed",
                      f"payfail:{event['order_id']}:{event.seq}", order_id=event["order_id"],
                      reason=event["reason"])


def on_order_shipped(event):
    order = _order(event["order_id"])
    dispatcher.notify(_contact(order.customer_id), "order_shipped", f"shipped:{order.id}",
                      order=order, tracking_numbers=event["tracking_numbers"])


def on_order_cancelled(event):
    dispatcher.notify(_contact(event["customer_id"]), "order_cancelled", f"cancel:{event['order_id']}",
                      order_id=event["order_id"], reason=event["reason"])


def on_order_refunded(event):
    dispatcher.notify(_contact(event["customer_id"]), "refund_issued",
                      f"refund:{event['order_id']}:{event.seq}", order_id=event["order_id"],
                      amount=Money.parse(event["amount"]), full=event["full"])


def on_tier_changed(event):
    dispatcher.notify(_contact(event["customer_id"]), "tier_changed",
                      f"tier:{event['customer_id']}:{event['tier']}", tier=event["tier"])


def on_stock_low(event):
    dispatcher.notify_ops("low_stock", f"low:{event['sku']}:{event.seq}", sku=event["sku"],
                          available=event["available"])


SUBSCRIPTIONS = [
    ("customer.registered", on_customer_registered),
    ("customer.tier_changed", on_tier_changed),
    ("orders.placed", on_order_placed),
    ("orders.payment_failed", on_payment_failed),
    ("orders.shipped", on_order_shipped),
    ("orders.cancelled", on_order_cancelled),
    ("orders.refunded", on_order_refunded),
    ("inventory.stock_low", on_stock_low),
]


def register(bus=None):
    bus = bus or default_bus
    for pattern, handler in SUBSCRIPTIONS:
        bus.subscribe(pattern, handler, priority=200)  # after the domain's own handlers
    return len(SUBSCRIPTIONS)
