ROUTES = {}


def route(path):
    def register(handler):
        ROUTES[path] = handler
        return handler

    return register


@route("/users")
def list_users():
    return ["ada", "alan"]


@route("/health")
def health():
    return "ok"


def dispatch(path):
    return ROUTES[path]()


users = dispatch("/users")
status = dispatch("/health")
direct = list_users()
