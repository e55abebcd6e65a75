from ..core.db import now
from ..core.errors import ShopError
from ..core.text import mask_email
from . import repository, service


def signup(payload):
    try:
        customer = service.register(
            payload.get("email", ""), payload.get("name", ""), payload.get("password", ""),
            phone=payload.get("phone", ""), language=payload.get("language", "en"),
            marketing_opt_in=bool(payload.get("marketing_opt_in")),
        )
    except ShopError as exc:
        return exc.http_status, exc.to_dict()
    return 201, {"id": customer.id, "email": mask_email(customer.email)}


def profile(customer_id):
    try:
        customer = repository.get(customer_id)
    except ShopError as exc:
        return exc.http_status, exc.to_dict()
    return 200, {
        "id": customer.id,
        "name": customer.name,
        "email": mask_email(customer.email),
        "member_days": (now() - customer.created_at).days if customer.created_at else 0,
        "tier": customer.loyalty.tier,
        "points": customer.loyalty.points,
        "addresses": [a.one_line() for a in customer.addresses],
    }
