"""Order endpoints as used by the storefront."""
from ..core.db import paginate
from ..core.errors import ShopError
from ..inventory.models import OutOfStock
from . import repository, service, state_machine


def checkout(payload):
    try:
        items = [(i["sku"], int(i["quantity"])) for i in payload.get("items", [])]
        order = service.place_order(payload["customer_id"], items,
                                    shipping_method=payload.get("shipping_method", "standard"),
                                    promo_code=payload.get("promo_code"),
                                    address_id=payload.get("address_id"))
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"error": "bad_request", "message": str(exc)}
    except OutOfStock as exc:
        return 409, {"error": "out_of_stock", "message": str(exc), "shortages": exc.shortages}
    except ShopError as exc:
        return exc.http_status, exc.to_dict()
    return 201, service.summary(order)


def show(order_id, customer_id):
    order = repository.find(order_id)
    if order is None or order.customer_id != customer_id:
        return 404, {"error": "not_found", "message": "no such order"}
    body = service.summary(order)
    body["actions"] = state_machine.allowed_events(order)
    return 200, body


def history(customer_id, page=1):
    rows = [service.summary(o) for o in reversed(repository.for_customer(customer_id))]
    return 200, paginate(rows, page, 10)


def cancel(order_id, customer_id):
    order = repository.find(order_id)
    if order is None or order.customer_id != customer_id:
        return 404, {"error": "not_found", "message": "no such order"}
    try:
        return 200, service.summary(service.cancel_order(order_id, reason="customer request"))
    except ShopError as exc:
        return exc.http_status, exc.to_dict()
