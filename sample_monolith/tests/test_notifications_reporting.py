from shop.core.money import Money
from shop.notifications import dispatcher, templates
from shop.notifications.sms import segments
from shop.orders import service as orders
from shop.reporting import aggregation, formatters
from shop.reporting import service as reporting


def test_templates_fall_back_to_english():
    subject, body = templates.render("refund_issued", "email", "nl", first_name="Kees",
                                     order_id="ORD-1", amount=Money("5"), full=False)
    assert subject == "Refund for order ORD-1"
    assert "\u20ac5.00" in body
    assert templates.render("welcome", "email", "de", name="A B", first_name="A",
                            silver_at=Money(1))[0].startswith("Willkommen")


def test_sms_segmentation():
    assert len(segments("x" * 160)) == 1
    assert [len(s) for s in segments("x" * 161)] == [153, 8]


def test_dispatcher_retries_then_dead_letters_and_deduplicates():
    contact = {"email": "a@example.org", "channels": ["email"], "name": "A B", "language": "en"}
    email = dispatcher.notifiers["email"]
    email.fail_next = 2
    sent = dispatcher.notify(contact, "order_cancelled", "k1", order_id="O1", reason="r")
    assert len(sent) == 1 and len(email.failures) == 2
    assert dispatcher.notify(contact, "order_cancelled", "k1", order_id="O1", reason="r") == []
    email.fail_next = 5
    assert dispatcher.notify(contact, "order_cancelled", "k2", order_id="O2", reason="r") == []
    assert len(dispatcher.dead_letters) == 1


def test_events_drive_customer_messages(customer, visa):
    order = orders.place_order(customer.id, [("BAG-SUM", 1)])
    orders.pay_order(order.id, "card", **visa)
    orders.ship_order(order.id)
    subjects = [m["subject"] for m in dispatcher.outbox()]
    assert subjects == ["Welcome to Acme Outdoor, Test User!", f"Your order {order.id}",
                        f"Order {order.id} is on its way"]


def test_aggregation_helpers():
    assert aggregation.percentile([5, 1, 3, 2, 4], 50) == 3
    assert aggregation.top_n({"a": 1, "b": 3, "c": 3}, 2) == [("b", 3), ("c", 3)]
    assert aggregation.shares({"x": Money("1"), "y": Money("3")}) == {"x": 25, "y": 75}
    assert formatters.table(["k", "v"], [("a", Money("1"))]).splitlines()[-1] == "a  \u20ac1.00"


def test_sales_report_counts_shipped_orders_only(customer, visa):
    shipped = orders.place_order(customer.id, [("BAG-SUM", 1)])
    orders.pay_order(shipped.id, "card", **visa)
    orders.ship_order(shipped.id)
    orders.place_order(customer.id, [("POT-SET", 1)])  # never paid
    data = reporting.collect()
    assert data["summary"]["orders_placed"] == 2
    assert data["summary"]["orders_shipped"] == 1
    assert data["summary"]["gross_revenue"] == shipped.total
    assert data["by_category"] == {"sleeping": Money("79.90")}
    assert '"orders_shipped": 1' in reporting.render_json(data)
    assert reporting.render_csv(data) == "sku,units,net\nBAG-SUM,1,79.90\n"


def test_demo_is_deterministic():
    from shop import app, demo

    first = demo.run()
    app.bootstrap()
    assert demo.run() == first
    assert first[0] == "== Acme Outdoor demo =="
