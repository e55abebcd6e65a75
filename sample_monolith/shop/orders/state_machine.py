"""Order lifecycle.  Every status change goes through apply(); history is append-only."""
from ..core.db import now
from ..core.errors import InvalidTransition
from .models import OrderStatus as S

TRANSITIONS = {
    S.PENDING_PAYMENT: {"authorize": S.AUTHORIZED, "cancel": S.CANCELLED, "expire": S.EXPIRED},
    S.AUTHORIZED: {"ship": S.SHIPPED, "cancel": S.CANCELLED},
    S.SHIPPED: {"deliver": S.DELIVERED, "refund": S.REFUNDED, "refund_partial": S.PARTIALLY_REFUNDED},
    S.DELIVERED: {"refund": S.REFUNDED, "refund_partial": S.PARTIALLY_REFUNDED},
    S.PARTIALLY_REFUNDED: {"refund": S.REFUNDED, "refund_partial": S.PARTIALLY_REFUNDED,
                           "deliver": S.PARTIALLY_REFUNDED},
    S.REFUNDED: {},
    S.CANCELLED: {},
    S.EXPIRED: {},
}


def _guard_ship(order):
    if not order.payment_id:
        return "no authorised payment"
    if not order.reservation_id:
        return "no stock reservation"
    return None


def _guard_cancel(order):
    if order.shipment_id:
        return "already handed to the carrier"
    return None


GUARDS = {"ship": _guard_ship, "cancel": _guard_cancel}


def allowed_events(order):
    return sorted(TRANSITIONS[order.status])


def can(order, event):
    if event not in TRANSITIONS[order.status]:
        return False
    guard = GUARDS.get(event)
    return guard is None or guard(order) is None


def apply(order, event, note=""):
    target = TRANSITIONS[order.status].get(event)
    if target is None:
        raise InvalidTransition(f"order {order.id}", order.status.value, event)
    guard = GUARDS.get(event)
    problem = guard(order) if guard else None
    if problem:
        raise InvalidTransition(f"order {order.id} ({problem})", order.status.value, event)
    order.history.append({"from": order.status.value, "event": event, "to": target.value,
                          "at": now().isoformat(), "note": note})
    order.status = target
    return order


def is_terminal(status):
    return not TRANSITIONS[status]
