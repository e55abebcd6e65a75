STORE = {}


def create(payload):
    STORE[payload["id"]] = payload


def update(payload):
    STORE[payload["id"]].update(payload)


def delete(payload):
    STORE.pop(payload["id"], None)


HANDLERS = {"create": create, "update": update, "delete": delete}


def handle(event):
    return HANDLERS[event["action"]](event["payload"])


events = [
    {"action": "create", "payload": {"id": 1, "name": "ada"}},
    {"action": "update", "payload": {"id": 1, "name": "Ada"}},
    {"action": "delete", "payload": {"id": 1}},
]
for event in events:
    handle(event)
