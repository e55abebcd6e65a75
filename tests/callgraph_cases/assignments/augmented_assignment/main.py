def line_total(quantity, unit_price):
    return quantity * unit_price


def shipping_cost(weight):
    return 5 if weight < 10 else 12


class Invoice:
    def __init__(self):
        self.total = 0
        self.lines = []

    def add_line(self, sku, quantity, unit_price):
        self.total += line_total(quantity, unit_price)
        self.lines += [sku]


invoice = Invoice()
invoice.add_line("book", 2, 10)
invoice.add_line("pen", 3, 2)
invoice.total += shipping_cost(4)
line_count = 0
line_count += len(invoice.lines)
label = "invoice"
label *= 1
label += str(invoice.total)
