import time


def make_rate_limiter(limit, clock):
    calls = []

    def allow():
        now = clock()
        calls.append(now)
        return len(calls) <= limit

    return allow


def fixed_clock():
    return 1000.0


def make_prefixer(prefix):
    def apply(message):
        return prefix + message.strip()

    return apply


allow = make_rate_limiter(2, fixed_clock)
decisions = [allow(), allow(), allow()]
real = make_rate_limiter(1, time.monotonic)
first = real()
warn = make_prefixer("[warn] ")
line = warn(" disk almost full ")
