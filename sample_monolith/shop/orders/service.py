"""Order use cases.  Talks to inventory, payments, customers and shipping directly --
the 2019 "orders facade" refactoring stopped half way."""
from ..catalog import promotions
from ..core import db as database
from ..core.db import db
from ..core.errors import InvalidTransition, ShopError, ValidationError
from ..core.log import audit, get_logger
from ..core.money import Money
from ..core.validation import Validator
from shop.customers import service as customer_service
from shop.inventory import service as inventory_service
from shop.payments import service as payment_service  # payments calls back into us
from . import calculator, events, repository, state_machine
from .models import Order, OrderStatus

log = get_logger("orders.service")


def _validate_items(items):
    v = Validator()
    if not v.check(bool(items), "items", "order has no items"):
        v.raise_if_errors()
    max_lines = database.get_setting("orders.max_lines", 50)
    max_qty = database.get_setting("orders.max_quantity_per_line", 99)
    v.check(len(items) <= max_lines, "items", f"at most {max_lines} lines per order")
    for index, (sku, quantity) in enumerate(items):
        if not isinstance(quantity, int) or not 1 <= quantity <= max_qty:
            v.add(f"items[{index}]", f"quantity for {sku} must be 1..{max_qty}")
    v.raise_if_errors()


def place_order(customer_id, items, shipping_method="standard", promo_code=None, address_id=None):
    """items: [(sku, quantity)].  Reserves stock; payment happens in pay_order()."""
    _validate_items(items)
    customer = customer_service.get_customer(customer_id)
    if customer.blocked:
        raise ValidationError({"customer": ["account is blocked"]})
    address = customer_service.get_address(customer_id, address_id)
    billing = customer.default_address("billing") or address
    first_order = not repository.has_previous_orders(customer_id)
    try:
        quote = calculator.price_order(customer, items, address, shipping_method, promo_code,
                                       first_order=first_order)
    except (promotions.PromotionError, ValueError) as exc:
        raise ValidationError({"order": [str(exc)]}) from exc
    minimum = Money(database.get_setting("orders.min_order_value", "0"))
    if quote["total"] < minimum:
        raise ValidationError({"order": [f"minimum order value is {minimum.format()}"]})
    order = Order(
        customer_id=customer.id, lines=quote["lines"], shipping_address=address,
        billing_address=billing, shipping_method=shipping_method, subtotal=quote["subtotal"],
        promo_code=promo_code.upper() if promo_code else None,
        promo_discount=quote["promo_discount"], loyalty_discount=quote["loyalty_discount"],
        shipping_cost=quote["shipping_cost"], shipping_tax=quote["shipping_tax"],
        tax_total=quote["tax_total"], total=quote["total"],
    )
    order.assign_id()
    with db.transaction():
        categories = {line.sku: line.category for line in order.lines}
        reservation = inventory_service.reserve(order.id, {l.sku: l.quantity for l in order.lines},
                                                categories)
        order.reservation_id = reservation.id
        if reservation.backordered:
            order.notes.append("backordered: " + ", ".join(
                f"{sku} x{qty}" for sku, qty in sorted(reservation.backordered.items())))
        if order.promo_code:
            promotions.redeem(order.promo_code)
        repository.save(order)
    audit.record(customer.id, "order.placed", order.id, total=str(order.total))
    events.order_placed(order)
    return order


def get_order(order_id):
    return repository.get(order_id)


def pay_order(order_id, method, **details):
    order = repository.get(order_id)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise InvalidTransition(f"order {order.id}", order.status.value, "pay")
    inventory_service.extend(order.id, 15)
    return payment_service.authorize(order, method, **details)


# --- callbacks from payments.service ------------------------------------------
def mark_authorized(order_id, payment_id):
    order = repository.get(order_id)
    order.payment_id = payment_id
    state_machine.apply(order, "authorize")
    repository.save(order)
    events.order_authorized(order)
    return order


def record_payment_failure(order_id, reason):
    order = repository.get(order_id)
    order.notes.append(f"payment failed: {reason}")
    repository.save(order)
    events.payment_failed(order, reason)
    return order


def apply_refund(order_id, amount, quantities=None, reason=""):
    order = repository.get(order_id)
    if quantities:
        for sku, quantity in quantities.items():
            order.line(sku).refunded_quantity += quantity
    else:
        for line in order.lines:
            line.refunded_quantity = line.quantity
    order.refunded_total = order.refunded_total + amount
    full = order.refunded_total >= order.total
    state_machine.apply(order, "refund" if full else "refund_partial", note=reason)
    repository.save(order)
    customer_service.record_refund(order.customer_id, amount, order.id)
    events.order_refunded(order, amount, full)
    return order


# --- fulfilment ----------------------------------------------------------------
def ship_order(order_id):
    from shop.shipping import service as shipping_service  # shipping imports our repository

    order = repository.get(order_id)
    if not state_machine.can(order, "ship"):
        raise InvalidTransition(f"order {order.id}", order.status.value, "ship")
    payment_service.capture(order.payment_id)
    inventory_service.commit(order.id)
    shipment = shipping_service.create_shipment(order.id)
    order.shipment_id = shipment.id
    state_machine.apply(order, "ship")
    repository.save(order)
    customer_service.record_purchase(order.customer_id, order.total, order.id)
    events.order_shipped(order, shipment)
    return order


def on_delivered(event):
    """Subscribed to shipping.delivered in app.py."""
    order = repository.get(event["order_id"])
    if state_machine.can(order, "deliver"):
        state_machine.apply(order, "deliver")
        repository.save(order)
        events.order_delivered(order)
    return order


def cancel_order(order_id, reason="customer request"):
    order = repository.get(order_id)
    if not state_machine.can(order, "cancel"):
        raise InvalidTransition(f"order {order.id}", order.status.value, "cancel")
    if order.status == OrderStatus.AUTHORIZED and order.payment_id:
        payment_service.void(order.payment_id)
    inventory_service.release(order.id, reason="cancelled")
    if order.promo_code:
        promotions.release(order.promo_code)
    state_machine.apply(order, "cancel", note=reason)
    repository.save(order)
    events.order_cancelled(order, reason)
    return order


def refund_order(order_id, quantities=None, reason="", restock=True):
    """quantities: {sku: qty} for a partial refund, None for everything."""
    order = repository.get(order_id)
    if order.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED):
        raise InvalidTransition(f"order {order.id}", order.status.value, "refund")
    try:
        amount = calculator.refund_amount(order, quantities)
    except ValueError as exc:
        raise ValidationError({"quantities": [str(exc)]}) from exc
    if not amount:
        raise ValidationError({"order": ["nothing left to refund"]})
    returned = quantities or {l.sku: l.refundable_quantity for l in order.lines if l.refundable_quantity}
    payment_service.refund(order.payment_id, amount, reason, quantities=quantities)
    if restock:
        for sku, quantity in sorted(returned.items()):
            inventory_service.restock(order.id, sku, quantity)
    return repository.get(order_id)


def expire_unpaid():
    """Cron: reservations past their TTL -> orders expire."""
    expired = []
    for order_ref in inventory_service.expire_reservations():
        order = repository.find(order_ref)
        if order is None or not state_machine.can(order, "expire"):
            continue
        state_machine.apply(order, "expire")
        if order.promo_code:
            promotions.release(order.promo_code)
        repository.save(order)
        events.order_expired(order)
        expired.append(order.id)
    return expired


def summary(order):
    return {
        "id": order.id,
        "status": order.status.value,
        "items": order.item_count,
        "subtotal": str(order.subtotal),
        "discounts": str(order.discount_total),
        "shipping": str(order.shipping_cost),
        "tax": str(order.tax_total),
        "total": str(order.total),
        "refunded": str(order.refunded_total),
    }


def safe_summary(order_id):
    try:
        return summary(repository.get(order_id))
    except ShopError as exc:
        log.warning("summary failed", extra={"kv": {"order": order_id}})
        return exc.to_dict()
