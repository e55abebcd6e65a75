from shop import errors


class Inventory:
    def __init__(self, stock):
        self.stock = stock

    def reserve(self, sku):
        if sku not in self.stock:
            raise errors.UnknownProduct(sku)
        if self.stock[sku] == 0:
            raise errors.OutOfStock(sku)
        self.stock[sku] -= 1
