import functools
import time
from functools import wraps

TIMINGS = {}


def timed(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMINGS[func.__name__] = time.perf_counter() - start

    return wrapper


def audited(func):
    @wraps(func)
    def inner(*args):
        result = func(*args)
        TIMINGS.setdefault("audit", []).append(result)
        return result

    return inner


@audited
@timed
def resize_image(width, height):
    return (width // 2, height // 2)


thumbnail = resize_image(640, 480)
name = resize_image.__name__
