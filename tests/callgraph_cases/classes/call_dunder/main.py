class RateLimiter:
    def __init__(self, limit):
        self.limit = limit
        self.calls = 0

    def __call__(self, request):
        self.calls += 1
        return self.calls <= self.limit


class RequireUser:
    def __call__(self, request):
        return bool(request.get("user"))


limiter = RateLimiter(2)
CHECKS = [limiter, RequireUser()]


def handle(request):
    if all(check(request) for check in CHECKS):
        return 200
    return 429


statuses = [handle({"user": "ada"}) for _ in range(3)]
still_allowed = limiter({"user": "alan"})
