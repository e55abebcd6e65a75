def on_create(record):
    return ("created", record)


def on_update(record):
    return ("updated", record)


def on_delete(record):
    return ("deleted", record)


HANDLERS = [on_create, on_update, on_delete]
UPDATE = 1

HANDLERS[UPDATE]({"id": 3})
HANDLERS[-1]({"id": 4})
