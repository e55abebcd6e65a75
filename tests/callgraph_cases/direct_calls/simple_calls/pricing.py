TAX_RATE = 0.2


def round_cents(amount):
    return round(amount, 2)


def apply_tax(amount):
    return round_cents(amount * (1 + TAX_RATE))
