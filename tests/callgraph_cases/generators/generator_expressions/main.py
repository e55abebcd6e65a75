CART = [{"sku": "book", "qty": 2}, {"sku": "pen", "qty": 10}]
PRICES = {"book": 12.0, "pen": 1.5}
TOKENS = [{"id": "t1", "expires": 100}, {"id": "t2", "expires": 300}]


def price(item):
    return PRICES[item["sku"]] * item["qty"]


def is_expired(token, now):
    return token["expires"] < now


def cart_total(cart):
    return sum(price(item) for item in cart)


def cleanup(tokens, now):
    expired = (token["id"] for token in tokens if is_expired(token, now))
    return ",".join(expired)


total = cart_total(CART)
any_expired = any(is_expired(token, 200) for token in TOKENS)
removed = cleanup(TOKENS, 200)
biggest = max(price(item) for item in CART)
