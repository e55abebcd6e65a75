def list_users(request):
    return 200, ["ada", "alan"]


def show_status(request):
    return 200, "ok"


def not_found(request):
    return 404, "no route for " + request["path"]


ROUTES = {"/users": list_users, "/status": show_status}


def serve(request):
    view = ROUTES.get(request["path"], not_found)
    return view(request)


responses = [serve({"path": "/users"}), serve({"path": "/missing"})]
fallback = ROUTES.get("/status")
status = fallback({"path": "/status"})
