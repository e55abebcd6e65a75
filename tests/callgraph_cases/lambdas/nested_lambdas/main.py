def round_cents(amount):
    return round(amount, 2)


make_tax = lambda rate: lambda amount: round_cents(amount * rate)  # noqa: E731


def price_with_vat(net):
    vat = make_tax(0.2)
    return net + vat(net)


price_with_vat(19.99)
