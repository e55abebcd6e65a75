def linear_backoff(attempt):
    return attempt * 0.5


def exponential_backoff(attempt):
    return 2**attempt * 0.1


def retry(operation, attempts=3, backoff=linear_backoff):
    delays = []
    for attempt in range(attempts):
        if operation(attempt):
            break
        delays.append(backoff(attempt))
    return delays


def flaky_ping(attempt):
    return attempt >= 2


def never_ready(attempt):
    return False


retry(flaky_ping)
retry(never_ready, attempts=2, backoff=exponential_backoff)
