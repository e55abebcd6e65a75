import pytest

from shop.core.db import db
from shop.core.errors import InvalidTransition, ValidationError
from shop.core.money import Money
from shop.inventory import service as inventory
from shop.orders import service as orders
from shop.orders import state_machine
from shop.orders.models import OrderStatus
from shop.payments import card, fraud
from shop.payments import repository as payments_repository
from shop.payments.gateway import gateway
from shop.payments.models import PaymentStatus


def test_order_totals_with_promotion_quantity_break_and_vat(customer):
    order = orders.place_order(customer.id, [("TENT-2P", 1), ("STOVE-GAS", 3), ("SOCK-MER", 2)],
                               promo_code="spring10")
    assert order.subtotal == Money("390.50")
    assert order.promo_discount == Money("39.05")
    assert order.shipping_cost == Money("0.00")  # free over 75 EUR in Germany
    assert order.tax_total == Money("66.78")
    assert order.total == Money("418.23")
    assert sum((l.discount for l in order.lines), Money.zero()) == order.promo_discount


def test_export_orders_carry_no_vat_but_shipping():
    from shop.customers import service as customers

    c = customers.register("ch@example.ch", "Heidi Alp", "Mountain-Air-77", country="CH")
    customers.add_address(c.id, "Heidi Alp", "Dorfstrasse 9", "Bern", "3011", "CH")
    order = orders.place_order(c.id, [("BOOK-KNOT", 2)])
    assert order.tax_total == Money.zero()
    assert order.shipping_cost == Money("19.90")
    assert order.total == Money("44.90")


def test_full_lifecycle_pay_ship_refund(customer, visa):
    order = orders.place_order(customer.id, [("JKT-RAIN", 1), ("MAT-AIR", 2)])
    payment = orders.pay_order(order.id, "card", **visa)
    assert payment.status == PaymentStatus.AUTHORIZED
    orders.ship_order(order.id)
    assert orders.get_order(order.id).status == OrderStatus.SHIPPED
    assert payments_repository.get(payment.id).status == PaymentStatus.CAPTURED
    on_hand_before = inventory.on_hand("MAT-AIR")
    orders.refund_order(order.id, {"MAT-AIR": 1}, reason="damaged")
    refreshed = orders.get_order(order.id)
    assert refreshed.status == OrderStatus.PARTIALLY_REFUNDED
    assert refreshed.refunded_total == Money("70.21")  # 59.00 + 19% VAT
    assert inventory.on_hand("MAT-AIR") == on_hand_before + 1
    orders.refund_order(order.id, reason="everything back")
    refreshed = orders.get_order(order.id)
    assert refreshed.status == OrderStatus.REFUNDED
    assert refreshed.refunded_total == refreshed.total
    assert gateway.balance() == Money.zero()


def test_declined_card_keeps_order_pending_and_cancel_voids_authorisation(customer, visa):
    order = orders.place_order(customer.id, [("TENT-4P", 1)])
    declined = orders.pay_order(order.id, "card", **dict(visa, number="4000000000000002"))
    assert declined.status == PaymentStatus.DECLINED
    assert orders.get_order(order.id).status == OrderStatus.PENDING_PAYMENT
    payment = orders.pay_order(order.id, "card", **visa)
    orders.cancel_order(order.id, reason="test")
    assert payments_repository.get(payment.id).status == PaymentStatus.VOIDED
    assert inventory.available("TENT-4P") == 3


def test_state_machine_rejects_illegal_moves(customer, visa):
    order = orders.place_order(customer.id, [("POT-SET", 1)])
    with pytest.raises(InvalidTransition):
        orders.ship_order(order.id)
    assert state_machine.allowed_events(order) == ["authorize", "cancel", "expire"]
    db.clock.advance(minutes=31)
    assert orders.expire_unpaid() == [order.id]
    with pytest.raises(InvalidTransition):
        orders.pay_order(order.id, "card", **visa)


def test_order_validation(customer):
    with pytest.raises(ValidationError):
        orders.place_order(customer.id, [])
    with pytest.raises(ValidationError):
        orders.place_order(customer.id, [("POT-SET", 0)])
    with pytest.raises(ValidationError, match="unknown promotion"):
        orders.place_order(customer.id, [("POT-SET", 1)], promo_code="NOPE")
    first = orders.place_order(customer.id, [("POT-SET", 1)], promo_code="WELCOME5")
    assert first.promo_discount == Money("5.00")
    with pytest.raises(ValidationError, match="first order"):
        orders.place_order(customer.id, [("POT-SET", 1)], promo_code="WELCOME5")


def test_card_checks(visa):
    assert card.luhn_valid("4242 4242 4242 4242")
    assert not card.luhn_valid("4242 4242 4242 4241")
    assert card.brand_of("378282246310005") == "amex"
    assert card.brand_of("2223003122003222") == "mastercard"
    bad = card.CardPayment(number="4242424242424242", expiry="01/23", cvc="12", holder="")
    assert set(bad.validate()) == {"expiry", "cvc", "holder"}
    assert card.CardPayment(**visa).fee(Money("100")) == Money("1.65")


def test_gateway_is_idempotent_and_fraud_scoring_adds_up():
    first = gateway.authorize("tok_card_4242_X", Money("10"), "ORD-1:1")
    again = gateway.authorize("tok_card_4242_X", Money("10"), "ORD-1:1")
    assert first is again and first.approved
    points, reasons = fraud.score({"amount": Money("2600"), "previous_orders": 0,
                                   "shipping_country": "US", "billing_country": "DE",
                                   "express": True, "recent_payments": []})
    assert points == 100 and len(reasons) == 5
    assert fraud.decision(points) == "block"
