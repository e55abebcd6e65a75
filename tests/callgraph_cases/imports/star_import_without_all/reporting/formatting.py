def money(amount, currency="EUR"):
    return f"{amount:,.2f} {currency}"


def percent(ratio):
    return f"{ratio * 100:.1f}%"


class Table:
    def __init__(self, headers):
        self.headers = headers
        self.rows = []

    def add_row(self, *cells):
        self.rows.append(cells)
