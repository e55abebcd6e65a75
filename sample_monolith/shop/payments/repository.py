from ..core.db import db

payments = db.table("payments")
refunds = db.table("refunds")


def save(payment):
    payment.assign_id()
    payment.touch()
    return payments.save(payment)


def get(payment_id):
    return payments.get(payment_id)


def for_order(order_id):
    return sorted(payments.where(order_id=order_id), key=lambda p: p.id)


def for_customer(customer_id):
    return sorted(payments.where(customer_id=customer_id), key=lambda p: p.id)


def list_all():
    return sorted(payments.all(), key=lambda p: p.id)


def save_refund(refund):
    refund.assign_id()
    refund.touch()
    return refunds.insert(refund)


def refunds_for(payment_id):
    return sorted(refunds.where(payment_id=payment_id), key=lambda r: r.id)


def all_refunds():
    return sorted(refunds.all(), key=lambda r: r.id)
