"""HTTP handlers (framework-agnostic since the Flask removal: (status, body) tuples)."""
from ..core.db import paginate
from ..core.errors import ShopError
from . import pricing, repository, service


def get_product(sku):
    try:
        return 200, service.product_view(repository.get_product(sku.upper()))
    except ShopError as exc:
        return exc.http_status, exc.to_dict()


def list_products(category=None, page=1, per_page=20):
    rows = [service.product_view(p) for p in repository.list_products(category)]
    return 200, paginate(rows, page, per_page)


def search(q, page=1):
    if len(q.strip()) < 2:
        return 400, {"error": "bad_request", "message": "query too short"}
    rows = [service.product_view(p) for p in repository.search_products(q)]
    return 200, paginate(rows, page, 10)


def quote(sku, quantity):
    try:
        result = pricing.quote(sku.upper(), int(quantity))
    except ValueError as exc:
        return 400, {"error": "bad_request", "message": str(exc)}
    except ShopError as exc:
        return exc.http_status, exc.to_dict()
    return 200, {k: str(v) for k, v in result.items()}
