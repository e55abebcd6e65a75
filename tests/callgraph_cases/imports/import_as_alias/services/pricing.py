def base_price(sku):
    catalog = {"BOOK-1": 12.5, "PEN-2": 1.2}
    return catalog.get(sku, 0.0)


def line_total(sku, quantity):
    return base_price(sku) * quantity
