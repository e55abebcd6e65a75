from ..core.db import db
from . import models

orders = db.table("orders")


def save(order):
    order.assign_id()
    order.touch()
    return orders.save(order)


def get(order_id):
    return orders.get(order_id)


def find(order_id):
    return orders.find(order_id)


def for_customer(customer_id):
    return sorted(orders.where(customer_id=customer_id), key=lambda o: o.id)


def by_status(*statuses):
    wanted = set(models.OrderStatus(s) for s in statuses)
    return sorted(orders.where(lambda o: o.status in wanted), key=lambda o: o.id)


def list_all():
    return sorted(orders.all(), key=lambda o: o.id)


def has_previous_orders(customer_id):
    return any(o.status not in (models.OrderStatus.CANCELLED, models.OrderStatus.EXPIRED)
               for o in orders.where(customer_id=customer_id))
