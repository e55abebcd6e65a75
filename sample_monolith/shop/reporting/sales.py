"""Sales figures.  Revenue is recognised at shipment; refunds reduce it when issued."""
from ..core.db import now
from ..core.money import Money, sum_money
from ..orders.models import REVENUE_STATUSES, OrderStatus
from . import aggregation


def recognised(orders):
    return [o for o in orders if o.status in REVENUE_STATUSES]


def summary(orders, refunds):
    revenue_orders = recognised(orders)
    gross = sum_money(o.total for o in revenue_orders)
    tax = sum_money(o.tax_total for o in revenue_orders)
    refunded = sum_money(r.amount for r in refunds)
    totals = [o.total for o in revenue_orders]
    return {
        "as_of": now().date().isoformat(),
        "orders_placed": len(orders),
        "orders_shipped": len(revenue_orders),
        "orders_cancelled": sum(1 for o in orders if o.status == OrderStatus.CANCELLED),
        "orders_expired": sum(1 for o in orders if o.status == OrderStatus.EXPIRED),
        "items_sold": sum(o.item_count for o in revenue_orders),
        "gross_revenue": gross,
        "vat": tax,
        "net_revenue": gross - tax,
        "discounts": sum_money(o.discount_total for o in revenue_orders),
        "shipping_charged": sum_money(o.shipping_cost for o in revenue_orders),
        "refunds": refunded,
        "revenue_after_refunds": gross - refunded,
        "average_order_value": aggregation.average(totals) or Money.zero(),
        "median_order_value": aggregation.percentile([t.amount for t in totals], 50),
        "refund_rate_percent": aggregation.shares({"r": refunded, "g": gross - refunded}).get("r")
        if gross else 0,
    }


def by_product(orders):
    lines = [line for o in recognised(orders) for line in o.lines]
    net = aggregation.group_sum(lines, lambda l: l.sku, lambda l: l.net)
    units = aggregation.group_sum(lines, lambda l: l.sku, lambda l: l.quantity - l.refunded_quantity)
    return {sku: {"net": net[sku], "units": units[sku]} for sku in net}


def by_category(orders):
    lines = [line for o in recognised(orders) for line in o.lines]
    return aggregation.group_sum(lines, lambda l: l.category, lambda l: l.net)


def by_country(orders):
    return aggregation.group_sum(recognised(orders), lambda o: o.shipping_address.country,
                                 lambda o: o.total)


def by_payment_method(orders, payments):
    paid = {p.order_id: p for p in payments if p.successful}
    rows = [(paid[o.id].method, o.total) for o in recognised(orders) if o.id in paid]
    return aggregation.group_sum(rows, lambda r: r[0], lambda r: r[1])


def top_customers(orders, customers_by_id, n=3):
    totals = aggregation.group_sum(recognised(orders), lambda o: o.customer_id,
                                   lambda o: o.total - o.refunded_total)
    return [(customers_by_id[cid].name, total) for cid, total in aggregation.top_n(totals, n)]


def gross_margin(orders, products_by_sku):
    revenue, cost = Money.zero(), Money.zero()
    for order in recognised(orders):
        for line in order.lines:
            kept = line.quantity - line.refunded_quantity
            if not kept:
                continue
            revenue = revenue + line.net.allocate([kept, line.refunded_quantity])[0]
            cost = cost + products_by_sku[line.sku].cost * kept
    return {"revenue": revenue, "cost": cost, "margin": revenue - cost}
