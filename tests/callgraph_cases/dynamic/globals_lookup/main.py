def handle_created(payload):
    return ("insert", payload["id"])


def handle_deleted(payload):
    return ("delete", payload["id"])


def handle_unknown(payload):
    return ("ignore", payload.get("id"))


def route(event):
    name = "handle_" + event["type"]
    handler = globals().get(name, handle_unknown)
    return handler(event["payload"])


route({"type": "created", "payload": {"id": 1}})
route({"type": "archived", "payload": {"id": 2}})
