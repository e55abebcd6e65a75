def setup(app):
    app["notifiers"].append(post)


def post(message):
    return {"payload": message}
