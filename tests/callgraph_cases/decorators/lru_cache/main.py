import functools


@functools.lru_cache(maxsize=256)
def fibonacci(n):
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


@functools.cache
def load_settings():
    return {"region": "eu-west-1", "retries": 3}


def region():
    return load_settings()["region"]


value = fibonacci(15)
regions = [region(), region()]
