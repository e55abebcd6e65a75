ORDERS = [
    {"id": 3, "lines": [12.5, 4.0]},
    {"id": 1, "lines": [99.0]},
    {"id": 2, "lines": [1.5, 2.5, 3.0]},
]


def order_total(order):
    return round(sum(order["lines"]), 2)


def summarize(orders):
    ranked = sorted(orders, key=order_total, reverse=True)
    biggest = max(orders, key=order_total)
    smallest = min(order_total(o) for o in orders)
    print("orders:", len(ranked), "biggest:", biggest["id"], "smallest:", smallest)
    return abs(order_total(biggest) - smallest)


spread = summarize(ORDERS)
