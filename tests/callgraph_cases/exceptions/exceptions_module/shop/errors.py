class ShopError(Exception):
    def __init__(self, sku):
        self.sku = sku

    def user_message(self):
        return f"problem with {self.sku}"


class OutOfStock(ShopError):
    def user_message(self):
        return f"{self.sku} is sold out"


class UnknownProduct(ShopError):
    pass
