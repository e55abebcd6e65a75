"""Order totals: prices -> promotion -> loyalty -> shipping -> tax.  The order matters."""
from ..catalog import pricing, promotions
from ..catalog import repository as catalog_repository
from ..core.db import get_setting
from ..core.money import Money, sum_money
from ..customers import loyalty
from ..shipping import rates as shipping_rates
from . import tax
from .models import OrderLine


def build_lines(items):
    """items: [(sku, qty)] -> [OrderLine] (same sku twice is merged)."""
    merged = {}
    for sku, quantity in items:
        merged[sku.upper()] = merged.get(sku.upper(), 0) + int(quantity)
    lines = []
    for sku, quantity in merged.items():
        product = catalog_repository.get_product(sku)
        if not product.active:
            raise ValueError(f"{sku} is no longer sold")
        lines.append(OrderLine(
            sku=product.sku, name=product.name, category=product.category, quantity=quantity,
            list_price=product.price, unit_price=pricing.unit_price(product, quantity),
            tax_class=product.tax_class, weight_g=product.weight_g,
        ))
    return lines


def allocate_discount(lines, discount):
    """Spread an order-level discount over the lines (pro rata) so VAT is right per rate."""
    if not discount:
        return
    parts = discount.allocate([line.gross_price.amount for line in lines])
    for line, part in zip(lines, parts):
        line.discount = line.discount + part


def price_order(customer, items, address, shipping_method="standard", promo_code=None,
                first_order=False):
    lines = build_lines(items)
    subtotal = sum_money(line.gross_price for line in lines)
    promo_discount = Money.zero(get_setting("shop.currency", "EUR"))
    if promo_code:
        promo_lines = [{"sku": l.sku, "quantity": l.quantity, "unit_price": l.unit_price} for l in lines]
        _, promo_discount = promotions.calculate_discount(promo_code, promo_lines, subtotal, first_order)
        allocate_discount(lines, promo_discount)
    after_promo = subtotal - promo_discount
    loyalty_discount = after_promo.percent(loyalty.discount_percent(customer.loyalty))
    allocate_discount(lines, loyalty_discount)
    goods_net = sum_money(line.net for line in lines)
    shipping = shipping_rates.quote(
        address.country, [(l.sku, l.weight_g, l.quantity) for l in lines], shipping_method,
        basket_value=goods_net)
    tax.apply_line_taxes(lines, address.country)
    shipping_tax = tax.shipping_tax(shipping["cost"], lines)
    tax_total = sum_money(line.tax for line in lines) + shipping_tax
    total = goods_net + shipping["cost"] + tax_total
    return {
        "lines": lines,
        "subtotal": subtotal,
        "promo_discount": promo_discount,
        "loyalty_discount": loyalty_discount,
        "shipping_cost": shipping["cost"],
        "shipping_tax": shipping_tax,
        "tax_total": tax_total,
        "total": total,
        "free_shipping": shipping["free"],
    }


def refund_amount(order, quantities=None):
    """Full refund (quantities None) gives back everything not yet refunded incl. shipping.
    Partial refunds are per unit: the line's net + tax divided by quantity."""
    if quantities is None:
        return order.total - order.refunded_total
    amount = Money.zero(order.currency)
    for sku, quantity in quantities.items():
        line = order.line(sku)
        if line is None:
            raise ValueError(f"{sku} is not on order {order.id}")
        if quantity > line.refundable_quantity:
            raise ValueError(f"only {line.refundable_quantity} x {sku} can be refunded")
        per_unit = line.total.allocate([1] * line.quantity)
        for part in per_unit[line.refunded_quantity:line.refunded_quantity + quantity]:
            amount = amount + part
    return amount
