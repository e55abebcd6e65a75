class Order:
    def __init__(self, order_id, lines):
        self.order_id = order_id
        self.lines = lines

    def total(self):
        return sum(qty * price for qty, price in self.lines)


orders = [Order(1, [(2, 5.0)]), Order(2, [(1, 30.0), (3, 1.0)]), Order(3, [])]
by_id = sorted(orders, key=lambda o: -o.order_id)
biggest = max(orders, key=lambda o: o.total())
non_empty = list(filter(lambda o: o.lines, orders))
ids = list(map(lambda o: str(o.order_id), non_empty))
