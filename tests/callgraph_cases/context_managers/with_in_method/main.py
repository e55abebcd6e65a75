class ReentrantLock:
    def __init__(self):
        self.depth = 0

    def __enter__(self):
        self.depth += 1

    def __exit__(self, exc_type, exc, tb):
        self.depth -= 1


class InventoryService:
    def __init__(self):
        self.lock = ReentrantLock()
        self.stock = {"apple": 5}

    def reserve(self, sku, qty):
        with self.lock:
            available = self.stock.get(sku, 0)
            self.stock[sku] = max(available - qty, 0)
        return self.stock[sku]


InventoryService().reserve("apple", 2)
