import services.pricing as pricing
from services.tax import compute_tax as tax_for


def invoice_total(lines, country):
    net = sum(pricing.line_total(sku, qty) for sku, qty in lines)
    return net + tax_for(net, country)


invoice_total([("BOOK-1", 2), ("PEN-2", 5)], "DE")
