"""Composition root: resets state, wires event handlers, seeds reference data.

Every domain is imported here; nothing imports this module except __main__ and the tests.
"""
from shop import notifications
from shop.catalog import service as catalog_service
from shop.core.config import settings
from shop.core.db import db
from shop.core.events import bus
from shop.core.log import audit, configure
from shop.inventory import service as inventory_service
from shop.orders import service as order_service
from shop.payments.gateway import gateway
from shop.shipping import carrier

CATEGORIES = [
    ("tents", "Tents", False),
    ("sleeping", "Sleeping", False),
    ("cooking", "Camp Kitchen", False),
    ("apparel", "Apparel", False),
    ("books", "Books & Maps", True),
]

# sku, name, category, price, cost, tax class, weight g, dimensions cm, price breaks
PRODUCTS = [
    ("TENT-2P", "Trailhead 2P Tent", "tents", "249.00", "130.00", "standard", 2300, (50, 20, 20), ()),
    ("TENT-4P", "Basecamp 4P Family Tent", "tents", "449.00", "240.00", "standard", 6800, (70, 30, 30), ()),
    ("BAG-SUM", "Summer Sleeping Bag", "sleeping", "79.90", "35.00", "standard", 900, (35, 20, 20), ()),
    ("BAG-WIN", "Winter Down Sleeping Bag", "sleeping", "219.00", "110.00", "standard", 1400, (40, 25, 25), ()),
    ("MAT-AIR", "Air Mat Ultralight", "sleeping", "59.00", "22.00", "standard", 450, (30, 10, 10), ()),
    ("STOVE-GAS", "Pocket Gas Stove", "cooking", "39.90", "14.00", "standard", 300, (12, 8, 8),
     ((3, "35.90"), (10, "32.00"))),
    ("POT-SET", "Titanium Pot Set", "cooking", "54.50", "21.00", "standard", 400, (18, 18, 12), ()),
    ("SOCK-MER", "Merino Hiking Socks", "apparel", "16.90", "5.20", "standard", 120, (15, 10, 3),
     ((5, "14.90"),)),
    ("JKT-RAIN", "Stormproof Rain Jacket", "apparel", "129.00", "55.00", "standard", 550, (30, 25, 5), ()),
    ("BOOK-ALPS", "Hiking the Alps (Guidebook)", "books", "24.00", "11.00", "reduced", 700, (24, 17, 3), ()),
    ("BOOK-KNOT", "Field Guide to Knots", "books", "12.50", "5.00", "reduced", 300, (20, 14, 1), ()),
]

# sku -> {warehouse: quantity}, reorder point
STOCK = {
    "TENT-2P": ({"BER": 8, "HAM": 4}, 3),
    "TENT-4P": ({"BER": 3}, 2),
    "BAG-SUM": ({"BER": 20}, 0),
    "BAG-WIN": ({"BER": 5, "HAM": 3}, 3),
    "MAT-AIR": ({"BER": 15}, 0),
    "STOVE-GAS": ({"BER": 40}, 0),
    "POT-SET": ({"BER": 12}, 0),
    "SOCK-MER": ({"BER": 60, "HAM": 30}, 10),
    "JKT-RAIN": ({"BER": 10, "HAM": 6}, 0),
    "BOOK-ALPS": ({"BER": 2}, 0),
    "BOOK-KNOT": ({"BER": 25}, 0),
}

PROMOTIONS = [
    dict(code="SPRING10", kind="percent", value="10", min_basket="100.00", days_valid=30),
    dict(code="WELCOME5", kind="fixed", value="5.00", min_basket="30.00", first_order_only=True),
    dict(code="SOCKS3FOR2", kind="bundle", value="0", sku="SOCK-MER", buy=3, free=1),
]


def reset():
    db.reset()
    bus.clear()
    audit.clear()
    gateway.reset()
    notifications.dispatcher.reset()
    carrier.reset_carrier()


def wire(event_bus=None):
    event_bus = event_bus or bus
    event_bus.subscribe("shipping.delivered", order_service.on_delivered, priority=50)
    notifications.register(event_bus)


def seed_reference_data():
    with bus.muted():
        for warehouse in settings.get("inventory.warehouses"):
            inventory_service.add_warehouse(warehouse["code"], warehouse["name"], warehouse["priority"])
        for code, name, backorderable in CATEGORIES:
            catalog_service.create_category(code, name, backorderable=backorderable)
        for sku, name, category, price, cost, tax_class, weight, dims, breaks in PRODUCTS:
            catalog_service.create_product(sku, name, category, price, cost=cost, tax_class=tax_class,
                                           weight_g=weight, dimensions=dims, price_breaks=breaks)
        for sku, (per_warehouse, reorder_point) in STOCK.items():
            for warehouse, quantity in sorted(per_warehouse.items()):
                inventory_service.receive(sku, warehouse, quantity, reference="opening-balance",
                                          reorder_point=reorder_point)
        for promotion in PROMOTIONS:
            catalog_service.create_promotion(**promotion)


def bootstrap(seed=True, log_level="WARNING"):
    configure(log_level)
    reset()
    wire()
    if seed:
        seed_reference_data()
    return db


def main(argv=None):
    argv = list(argv or [])
    from shop import demo  # the demo pulls in reporting; keep it off the import path of tests

    if argv and argv[0] in ("-h", "--help"):
        print("usage: python -m shop [--report-only]")
        return 0
    bootstrap()
    for line in demo.run(report_only="--report-only" in argv):
        print(line)
    return 0
