ATTEMPTS = []


def retry(times):
    def decorator(func):
        def wrapper(*args):
            for _ in range(times - 1):
                try:
                    return func(*args)
                except ConnectionError:
                    continue
            return func(*args)

        return wrapper

    return decorator


@retry(times=3)
def fetch_profile(user_id):
    ATTEMPTS.append(user_id)
    if len(ATTEMPTS) < 2:
        raise ConnectionError("timeout")
    return {"id": user_id}


profile = fetch_profile(42)
