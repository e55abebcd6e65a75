class Cart:
    def __init__(self, items):
        self.items = items

    def total(self):
        return sum(price * qty for price, qty in self.items)


class StripeGateway:
    def charge(self, amount, currency):
        return {"provider": "stripe", "amount": round(amount, 2), "currency": currency}


class InvoiceGateway:
    def charge(self, amount, currency):
        return {"provider": "invoice", "amount": amount, "currency": currency}


def checkout(cart, gateway):
    return gateway.charge(cart.total(), "EUR")


checkout(Cart([(9.99, 2), (4.5, 1)]), StripeGateway())
