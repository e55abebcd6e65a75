from ..cart import Cart
from ..checkout import checkout


def handle_order(request):
    cart = Cart(request["user"])
    for sku, price in request["items"]:
        cart.add(sku, price)
    return checkout(cart)
