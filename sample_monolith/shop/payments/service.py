"""Authorise at checkout, capture at shipment, void on cancel, refund after capture."""
from typing import TYPE_CHECKING

from ..core.db import now
from ..core.errors import Conflict, ValidationError
from ..core.events import publish
from ..core.log import audit, get_logger
from shop.orders import service as order_service  # circular: orders.service imports us too
from . import fraud, gateway as gateways, repository
from .card import CardPayment
from .models import Payment, PaymentStatus, Refund
from .wallet import GiftCardPayment, WalletPayment

if TYPE_CHECKING:
    from shop.orders.models import Order

log = get_logger("payments.service")

METHODS = {"card": CardPayment, "wallet": WalletPayment, "giftcard": GiftCardPayment}


def build_method(kind, **details):
    try:
        cls = METHODS[kind]
    except KeyError:
        raise ValidationError({"method": [f"unsupported payment method {kind!r}"]}) from None
    method = cls(**details)
    errors = method.validate()
    if errors:
        raise ValidationError(errors)
    return method


def _fraud_context(order: "Order", amount):
    from shop.orders import repository as order_repository  # only needed for the history

    previous = [o for o in order_repository.for_customer(order.customer_id)
                if o.id != order.id and o.payment_id]
    return {
        "amount": amount,
        "previous_orders": len(previous),
        "shipping_country": order.shipping_address.country,
        "billing_country": order.billing_address.country if order.billing_address else None,
        "express": order.shipping_method == "express",
        "recent_payments": repository.for_customer(order.customer_id),
    }


def authorize(order: "Order", method_kind, **details):
    method = build_method(method_kind, **details)
    amount = order.total
    attempt = len(repository.for_order(order.id)) + 1
    payment = Payment(order_id=order.id, customer_id=order.customer_id, method=method.kind,
                      method_label=method.label(), amount=amount, fee=method.fee(amount),
                      three_ds=method.requires_challenge(amount))
    payment.assign_id()
    payment.touch()
    payment.fraud_score, payment.fraud_reasons = fraud.score(_fraud_context(order, amount))
    verdict = fraud.decision(payment.fraud_score)
    if verdict == "block":
        return _decline(payment, "fraud_suspected")
    if isinstance(method, GiftCardPayment) and not method.covers(amount):
        return _decline(payment, "giftcard_balance_too_low")
    result = gateways.get_gateway().authorize(method.token(), amount, f"{order.id}:{attempt}")
    payment.gateway_reference = result.reference
    if not result.approved:
        return _decline(payment, result.reason)
    payment.status = PaymentStatus.AUTHORIZED
    payment.auth_code = result.auth_code
    repository.save(payment)
    if verdict == "review":
        audit.record("payments", "payment.review", payment.id, score=payment.fraud_score)
    audit.record("payments", "payment.authorized", payment.id, amount=str(amount))
    order_service.mark_authorized(order.id, payment.id)
    publish("payments.authorized", payment_id=payment.id, order_id=order.id, amount=str(amount))
    return payment


def _decline(payment, reason):
    payment.status = PaymentStatus.DECLINED
    payment.decline_reason = reason
    repository.save(payment)
    audit.record("payments", "payment.declined", payment.id, reason=reason)
    order_service.record_payment_failure(payment.order_id, reason)
    publish("payments.declined", payment_id=payment.id, order_id=payment.order_id, reason=reason)
    return payment


def capture(payment_id):
    payment = repository.get(payment_id)
    if payment.status == PaymentStatus.CAPTURED:
        return payment
    if payment.status != PaymentStatus.AUTHORIZED:
        raise Conflict(f"payment {payment_id} is {payment.status.value}, cannot capture")
    gateways.get_gateway().capture(payment.gateway_reference, payment.amount)
    payment.status = PaymentStatus.CAPTURED
    payment.captured_amount = payment.amount
    repository.save(payment)
    publish("payments.captured", payment_id=payment.id, order_id=payment.order_id,
            amount=str(payment.amount))
    return payment


def void(payment_id):
    payment = repository.get(payment_id)
    if payment.status != PaymentStatus.AUTHORIZED:
        raise Conflict(f"payment {payment_id} is {payment.status.value}, cannot void")
    gateways.get_gateway().void(payment.gateway_reference)
    payment.status = PaymentStatus.VOIDED
    repository.save(payment)
    publish("payments.voided", payment_id=payment.id, order_id=payment.order_id)
    return payment


def refund(payment_id, amount, reason, quantities=None):
    payment = repository.get(payment_id)
    if payment.status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
        raise Conflict(f"payment {payment_id} is {payment.status.value}, cannot refund")
    if amount > payment.refundable:
        raise ValidationError({"amount": [f"at most {payment.refundable.format()} can be refunded"]})
    method = METHODS[payment.method]
    if amount != payment.refundable and not method.supports_partial_refund:
        raise ValidationError({"amount": [f"{payment.method} payments can only be refunded in full"]})
    result = gateways.get_gateway().refund(payment.gateway_reference, amount)
    record = repository.save_refund(Refund(payment_id=payment.id, order_id=payment.order_id,
                                           amount=amount, reason=reason,
                                           gateway_reference=result.reference))
    payment.refunded_amount = payment.refunded_amount + amount
    payment.status = (PaymentStatus.REFUNDED if not payment.refundable
                      else PaymentStatus.PARTIALLY_REFUNDED)
    repository.save(payment)
    audit.record("payments", "payment.refunded", payment.id, amount=str(amount), reason=reason)
    order_service.apply_refund(payment.order_id, amount, quantities, reason)
    publish("payments.refunded", payment_id=payment.id, order_id=payment.order_id,
            refund_id=record.id, amount=str(amount))
    return record


def fees_total():
    total = None
    for payment in repository.list_all():
        if payment.status in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED):
            total = payment.fee if total is None else total + payment.fee
    return total


def stale_authorizations(max_age_days=7):
    cutoff = now().toordinal() - max_age_days
    return [p for p in repository.list_all()
            if p.status == PaymentStatus.AUTHORIZED and p.created_at.toordinal() <= cutoff]
