def require_auth(func):
    def check(request):
        if not request.get("user"):
            return "unauthorized"
        return func(request)

    return check


def json_response(func):
    def render(request):
        return {"status": 200, "body": func(request)}

    return render


@json_response
@require_auth
def profile(request):
    return request["user"].upper()


ok = profile({"user": "ada"})
denied = profile({})
