from shop import Cart, checkout
from shop.api.handlers import handle_order

handle_order({"user": "u1", "items": [("A", 3.0), ("B", 4.5)]})

quick = Cart("u2")
quick.add("C", 9.99)
checkout(quick)
