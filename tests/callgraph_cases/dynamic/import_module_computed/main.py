import importlib

ENABLED = "slack,webhook"


def load_plugins(app, names):
    for name in names.split(","):
        module = importlib.import_module(f"plugins.{name}")
        module.setup(app)


def broadcast(app, message):
    return [notify(message) for notify in app["notifiers"]]


app = {"notifiers": []}
load_plugins(app, ENABLED)
broadcast(app, "deploy finished")
