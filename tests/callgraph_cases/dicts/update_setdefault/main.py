LISTENERS = {}
COMMANDS = {}
SENT = []


def on(event, listener):
    LISTENERS.setdefault(event, []).append(listener)


def emit(event, data):
    for listener in LISTENERS.get(event, []):
        listener(data)


def send_receipt(order):
    SENT.append("receipt " + order["id"])


def reserve_stock(order):
    SENT.append("reserve " + order["id"])


def ship(order_id):
    return "shipping " + order_id


def cancel(order_id):
    return "cancelled " + order_id


on("order.paid", send_receipt)
on("order.paid", reserve_stock)
COMMANDS.update({"ship": ship})
COMMANDS.update(cancel=cancel)
emit("order.paid", {"id": "A1"})
results = [COMMANDS[name]("A1") for name in ("ship", "cancel")]
