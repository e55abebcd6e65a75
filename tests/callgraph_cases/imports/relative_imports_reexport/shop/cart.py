class Cart:
    def __init__(self, owner):
        self.owner = owner
        self.items = []

    def add(self, sku, price):
        self.items.append((sku, price))

    def total(self):
        return sum(price for _, price in self.items)
