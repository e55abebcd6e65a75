"""Scripted walk through a day in the shop.  Output is deterministic (fake clock, no RNG)."""
from shop.catalog import repository as catalog_repository
from shop.core.db import db
from shop.core.errors import ShopError
from shop.core.events import bus
from shop.core.log import audit
from shop.customers import service as customer_service
from shop.inventory import OutOfStock
from shop.inventory import service as inventory_service
from shop.notifications import dispatcher
from shop.orders import service as order_service
from shop.reporting import service as reporting_service
from shop.shipping import repository as shipment_repository
from shop.shipping import service as shipping_service

VISA = dict(number="4242 4242 4242 4242", expiry="12/27", cvc="123")
VISA_DECLINED = dict(number="4000 0000 0000 0002", expiry="12/27", cvc="123")
MASTERCARD = dict(number="5555 5555 5555 4444", expiry="08/26", cvc="737")

CUSTOMERS = [
    dict(key="anna", email="Anna.Schmidt@Example.de", name="Anna Schmidt", phone="0170 1234567",
         language="de", sms_opt_in=True, country="DE",
         address=("Anna Schmidt", "Torstrasse 12", "berlin", "10119", "DE")),
    dict(key="luc", email="luc.martin@example.fr", name="Luc Martin", language="fr", country="FR",
         address=("Luc Martin", "12 Rue de la Paix", "Paris", "75002", "FR")),
    dict(key="emma", email="emma.jones@example.co.uk", name="Emma Jones", language="en", country="GB",
         address=("Emma Jones", "221B Baker Street", "London", "NW16XE", "GB")),
    dict(key="kees", email="kees@example.nl", name="Kees de Vries", language="nl", country="NL",
         address=("Kees de Vries", "Prinsengracht 263", "Amsterdam", "1016gv", "NL"),
         billing=("Kees de Vries", "Kastanienallee 3", "Berlin", "10435", "DE")),
    dict(key="max", email="max@example.ch", name="Max Muster", phone="+41 79 123 45 67",
         language="de", sms_opt_in=True, country="CH",
         address=("Max Muster", "Bahnhofstrasse 1", "Zuerich", "8001", "CH")),
]


def _register_customers():
    ids = {}
    for spec in CUSTOMERS:
        customer = customer_service.register(
            spec["email"], spec["name"], "Correct-Horse-42", phone=spec.get("phone", ""),
            language=spec["language"], sms_opt_in=spec.get("sms_opt_in", False), country=spec["country"])
        customer_service.add_address(customer.id, *spec["address"])
        if "billing" in spec:
            customer_service.add_address(customer.id, *spec["billing"], kind="billing")
        ids[spec["key"]] = customer.id
    return ids


def _deliver(order_id):
    shipment = shipment_repository.for_order(order_id)
    for number in shipment.tracking_numbers:
        for code, location in (("PU", "BER"), ("IT", "HUB"), ("OD", "LOCAL"), ("DL", "DOOR")):
            shipping_service.update_tracking(number, code, location)
            if code == "DL":
                break
        break  # the first parcel's scan drives the order status (carrier contract quirk)
    return shipment


def _line(order):
    return (f"{order.id}  {order.customer_id}  {order.status.value:<18} items={order.item_count:<3} "
            f"total={order.total.format():>10}  refunded={order.refunded_total.format()}")


def run(report_only=False):
    out = []
    ids = _register_customers()
    out.append("== Acme Outdoor demo ==")
    out.append(f"catalog: {len(catalog_repository.list_products())} products; "
               f"stock: {sum(inventory_service.on_hand(p.sku) for p in catalog_repository.list_products())} units; "
               f"customers: {len(ids)}")
    if report_only:
        return out + ["", reporting_service.render_text()]

    steps = []

    def attempt(label, func, *args, **kwargs):
        try:
            result = func(*args, **kwargs)
            steps.append(f"ok    {label}")
            return result
        except OutOfStock as exc:
            steps.append(f"FAIL  {label}: {exc}")
        except ShopError as exc:
            steps.append(f"FAIL  {label}: {exc.code}: {exc.message}")
        return None

    # 1. Anna: tent, stoves (quantity break), socks, spring promotion, Visa, delivered
    o1 = attempt("anna places order", order_service.place_order, ids["anna"],
                 [("TENT-2P", 1), ("STOVE-GAS", 3), ("SOCK-MER", 2)], promo_code="spring10")
    attempt("anna pays by visa", order_service.pay_order, o1.id, "card", holder="Anna Schmidt", **VISA)
    db.clock.advance(hours=2)
    attempt("ship anna", order_service.ship_order, o1.id)
    db.clock.advance(days=1)
    attempt("deliver anna", _deliver, o1.id)

    # 2. Luc: winter bag + 3 guidebooks (only 2 in stock -> backorder), express, first-order code, PayPal
    o2 = attempt("luc places order", order_service.place_order, ids["luc"],
                 [("BAG-WIN", 1), ("BOOK-ALPS", 3)], shipping_method="express", promo_code="WELCOME5")
    attempt("luc pays by paypal", order_service.pay_order, o2.id, "wallet", provider="paypal",
            account="luc.martin@example.fr")
    attempt("ship luc", order_service.ship_order, o2.id)

    # 3. Emma: declined card, then Mastercard; delivered; one mat returned damaged
    o3 = attempt("emma places order", order_service.place_order, ids["emma"],
                 [("JKT-RAIN", 1), ("MAT-AIR", 2)])
    p = attempt("emma pays (declined card)", order_service.pay_order, o3.id, "card",
                holder="Emma Jones", **VISA_DECLINED)
    steps.append(f"      -> payment {p.id} {p.status.value} ({p.decline_reason})")
    attempt("emma pays by mastercard", order_service.pay_order, o3.id, "card", holder="Emma Jones",
            **MASTERCARD)
    attempt("ship emma", order_service.ship_order, o3.id)
    db.clock.advance(days=2)
    attempt("deliver emma", _deliver, o3.id)
    attempt("refund emma 1x MAT-AIR", order_service.refund_order, o3.id, {"MAT-AIR": 1},
            reason="arrived damaged")

    # 4. Kees: family tents, paid, then cancelled (authorisation voided, stock released)
    o4 = attempt("kees places order", order_service.place_order, ids["kees"],
                 [("TENT-4P", 2), ("BAG-SUM", 2)])
    attempt("kees pays by visa", order_service.pay_order, o4.id, "card", holder="Kees de Vries", **VISA)
    attempt("kees cancels", order_service.cancel_order, o4.id, reason="changed mind")

    # 5. Max (Switzerland, export: no VAT): socks 3-for-2, Google Pay, shipped, fully refunded
    o5 = attempt("max places order", order_service.place_order, ids["max"],
                 [("SOCK-MER", 6), ("POT-SET", 1)], promo_code="SOCKS3FOR2")
    attempt("max pays by google pay", order_service.pay_order, o5.id, "wallet", provider="googlepay",
            account="gp-device-token-0001-max")
    attempt("ship max", order_service.ship_order, o5.id)
    attempt("refund max in full", order_service.refund_order, o5.id, reason="wrong size")

    # 6. things that go wrong
    attempt("anna orders 5 family tents", order_service.place_order, ids["anna"], [("TENT-4P", 5)])
    attempt("emma uses SPRING10 on a small basket", order_service.place_order, ids["emma"],
            [("BOOK-KNOT", 1)], promo_code="SPRING10")
    attempt("luc reuses WELCOME5", order_service.place_order, ids["luc"], [("POT-SET", 1)],
            promo_code="WELCOME5")
    o6 = attempt("luc places an order and walks away", order_service.place_order, ids["luc"],
                 [("POT-SET", 1)])
    attempt("cancel a shipped order", order_service.cancel_order, o1.id)
    db.clock.advance(minutes=45)
    expired = order_service.expire_unpaid()
    steps.append(f"ok    expired unpaid orders: {', '.join(expired) or 'none'}")

    out += ["", "-- steps --"] + steps
    out += ["", "-- orders --"]
    for order in (o1, o2, o3, o4, o5, o6):
        out.append(_line(order_service.get_order(order.id)))

    out += ["", "-- notifications --"]
    messages = dispatcher.outbox()
    by_channel = {}
    for message in messages:
        by_channel[message["channel"]] = by_channel.get(message["channel"], 0) + 1
    out.append("sent: " + ", ".join(f"{k}={v}" for k, v in sorted(by_channel.items()))
               + f"; dead letters: {len(dispatcher.dead_letters)}")
    for message in messages:
        out.append(f"{message['id']:<16} {message['to']:<28} {message['subject']}")

    confirmation = next((m for m in messages if m["subject"] == f"Your order {o1.id}"), None)
    if confirmation is not None:
        out += ["", f"-- {confirmation['id']} ({confirmation['headers']['Message-ID']}) --"]
        out += confirmation["body"].rstrip("\n").split("\n")

    out += ["", reporting_service.render_text(), ""]
    out.append(f"events published: {len(bus.history)}; handler failures: {len(bus.failures)}; "
               f"audit entries: {len(audit)}")
    out.append("tables: " + ", ".join(f"{k}={v}" for k, v in db.stats().items()))
    return out
