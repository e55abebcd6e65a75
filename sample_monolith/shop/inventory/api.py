from ..core.db import paginate
from ..core.errors import ShopError
from . import repository, service


def availability(sku):
    items = repository.stock_for_sku(sku.upper())
    if not items:
        return 404, {"error": "not_found", "message": f"no stock record for {sku}"}
    return 200, {
        "sku": sku.upper(),
        "available": service.available(sku.upper()),
        "warehouses": {i.warehouse: i.available for i in items},
    }


def receive(payload):
    try:
        item = service.receive(payload["sku"], payload["warehouse"], int(payload["quantity"]),
                               reference=payload.get("reference", ""))
    except (KeyError, ValueError) as exc:
        return 400, {"error": "bad_request", "message": str(exc)}
    except ShopError as exc:
        return exc.http_status, exc.to_dict()
    return 201, {"sku": item.sku, "warehouse": item.warehouse, "on_hand": item.on_hand}


def stock_levels(page=1, only_low=False):
    rows = [r for r in service.stock_report() if r["low"] or not only_low]
    return 200, paginate(rows, page, 50)
