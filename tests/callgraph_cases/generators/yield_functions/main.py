def authenticate(request):
    request["user"] = request.get("token", "anonymous")


def add_request_id(request):
    request["id"] = str(len(request))


def log_request(request):
    print("request", request["id"], "from", request["user"])


def middleware():
    yield authenticate
    yield add_request_id
    yield log_request


def handle(request):
    for step in middleware():
        step(request)
    return request


handled = handle({"token": "ada", "path": "/"})
