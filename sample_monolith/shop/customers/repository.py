from ..core.db import db
from ..core.errors import NotFound
from ..core.text import normalize_email

customers = db.table("customers", unique=("email",))


def save(customer):
    customer.assign_id()
    customer.touch()
    return customers.save(customer)


def get(customer_id):
    return customers.get(customer_id)


def find_by_email(email):
    return customers.get_by("email", normalize_email(email))


def get_by_email(email):
    customer = find_by_email(email)
    if customer is None:
        raise NotFound("customer", email)
    return customer


def list_all():
    return sorted(customers.all(), key=lambda c: c.id)


def count():
    return len(customers)
