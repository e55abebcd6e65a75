def setup(app):
    app["notifiers"].append(notify)


def notify(message):
    return f"slack: {message}"
