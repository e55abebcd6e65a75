def make_rate_limiter(max_calls):
    calls = []

    def allow(now):
        calls.append(now)
        recent = [t for t in calls if now - t < 60]
        return len(recent) <= max_calls

    return allow


def make_logger(prefix):
    def log(message):
        return f"[{prefix}] {message}"

    return log


limiter = make_rate_limiter(2)
log = make_logger("api")
for ts in (0, 10, 20):
    if not limiter(ts):
        log("rate limited")
