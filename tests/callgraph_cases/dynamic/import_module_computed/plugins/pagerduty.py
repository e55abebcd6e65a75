def setup(app):
    app["notifiers"].append(page)


def page(message):
    return message.upper()
