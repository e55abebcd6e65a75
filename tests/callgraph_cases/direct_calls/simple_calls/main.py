from pricing import apply_tax


def load_cart():
    return [("book", 12.0), ("pen", 1.5)]


def subtotal(cart):
    return sum(price for _, price in cart)


def checkout():
    cart = load_cart()
    return apply_tax(subtotal(cart))


total = checkout()
