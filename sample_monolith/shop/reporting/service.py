"""The weekly sales report.  Reads every domain's tables directly (it predates all APIs)."""
from ..catalog import repository as catalog_repository
from ..core.db import get_setting
from ..customers import repository as customer_repository
from ..inventory import repository as inventory_repository
from ..orders import repository as order_repository
from ..payments import repository as payment_repository
from ..shipping import repository as shipping_repository
from . import aggregation, formatters, sales, stock


def collect():
    orders = order_repository.list_all()
    payments = payment_repository.list_all()
    refunds = payment_repository.all_refunds()
    products = {p.sku: p for p in catalog_repository.list_products(active_only=False)}
    customers = {c.id: c for c in customer_repository.list_all()}
    stock_items = inventory_repository.all_stock()
    shipments = shipping_repository.list_all()
    product_rows = sales.by_product(orders)
    return {
        "summary": sales.summary(orders, refunds),
        "by_product": product_rows,
        "by_category": sales.by_category(orders),
        "by_country": sales.by_country(orders),
        "by_payment_method": sales.by_payment_method(orders, payments),
        "top_customers": sales.top_customers(orders, customers,
                                             get_setting("reporting.top_customers", 3)),
        "margin": sales.gross_margin(orders, products),
        "stock_value": stock.valuation(stock_items, products),
        "low_stock": stock.low_stock(stock_items, get_setting("inventory.low_stock_threshold", 5)),
        "sell_through": stock.sell_through({s: r["units"] for s, r in product_rows.items()}, stock_items),
        "shipments_by_status": aggregation.group_count(shipments, lambda s: s.status.value),
        "payment_status": aggregation.group_count(payments, lambda p: p.status.value),
        "products": products,
    }


def render_text(data=None):
    data = data or collect()
    s = data["summary"]
    out = ["SALES REPORT", "============", ""]
    out.append(formatters.key_values([
        ("orders placed", s["orders_placed"]),
        ("orders shipped", s["orders_shipped"]),
        ("orders cancelled", s["orders_cancelled"]),
        ("orders expired", s["orders_expired"]),
        ("items sold", s["items_sold"]),
        ("gross revenue", s["gross_revenue"]),
        ("VAT", s["vat"]),
        ("net revenue", s["net_revenue"]),
        ("discounts given", s["discounts"]),
        ("shipping charged", s["shipping_charged"]),
        ("refunds", s["refunds"]),
        ("revenue after refunds", s["revenue_after_refunds"]),
        ("average order value", s["average_order_value"]),
        ("refund rate %", s["refund_rate_percent"]),
    ]))
    top = aggregation.top_n({k: v["net"] for k, v in data["by_product"].items()},
                            get_setting("reporting.top_products", 5))
    out += ["", "Top products (net)"]
    out.append(formatters.table(
        ["sku", "name", "units", "net", "sell-through %"],
        [(sku, data["products"][sku].name, data["by_product"][sku]["units"], net,
          data["sell_through"].get(sku)) for sku, net in top],
        align="llrrr"))
    shares = aggregation.shares(data["by_category"])
    out += ["", "Revenue by category"]
    out.append(formatters.table(["category", "net", "share %"],
                                [(k, v, shares[k]) for k, v in data["by_category"].items()]))
    out += ["", "Revenue by country"]
    out.append(formatters.table(["country", "gross"], list(data["by_country"].items())))
    out += ["", "Revenue by payment method"]
    out.append(formatters.table(["method", "gross"], list(data["by_payment_method"].items())))
    out += ["", "Top customers"]
    out.append(formatters.table(["customer", "spend"], data["top_customers"]))
    m = data["margin"]
    out += ["", "Margin", formatters.key_values([("revenue (net)", m["revenue"]), ("cost of goods", m["cost"]),
                                                  ("gross margin", m["margin"])])]
    out += ["", "Stock value at cost"]
    out.append(formatters.table(["warehouse", "value"],
                                list(data["stock_value"]["warehouses"].items())
                                + [("total", data["stock_value"]["total"])]))
    low = ", ".join(f"{sku} ({qty})" for sku, qty in data["low_stock"]) or "none"
    out += ["", f"Low stock: {low}"]
    out.append("Shipments: " + ", ".join(f"{k}={v}" for k, v in data["shipments_by_status"].items()))
    out.append("Payments: " + ", ".join(f"{k}={v}" for k, v in data["payment_status"].items()))
    return "\n".join(out)


def render_csv(data=None):
    data = data or collect()
    rows = [(sku, r["units"], r["net"]) for sku, r in data["by_product"].items()]
    return formatters.to_csv(["sku", "units", "net"], rows)


def render_json(data=None):
    data = data or collect()
    payload = {k: v for k, v in data.items() if k != "products"}
    payload["by_product"] = {k: dict(v) for k, v in payload["by_product"].items()}
    return formatters.to_json(payload)
