def no_discount(total):
    return total


def seasonal_discount(total):
    return total * 0.9


def loyalty_discount(total):
    return max(total - 5, 0)


def checkout(items, discount):
    subtotal = sum(price for _, price in items)
    return discount(subtotal)


def best_price(items, strategies):
    return min(checkout(items, strategy) for strategy in strategies)


cart = [("book", 20.0), ("pen", 2.0)]
plain = checkout(cart, no_discount)
best = best_price(cart, [seasonal_discount, loyalty_discount])
