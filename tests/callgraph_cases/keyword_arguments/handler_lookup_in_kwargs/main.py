def on_login(user):
    return f"welcome back {user}"


def on_logout(user):
    return f"bye {user}"


def unknown_event(user):
    return None


def dispatch(event, user, **handlers):
    handler = handlers.get(event, unknown_event)
    return handler(user)


dispatch("login", "ada", login=on_login, logout=on_logout)
dispatch("refresh", "ada", login=on_login, logout=on_logout)
