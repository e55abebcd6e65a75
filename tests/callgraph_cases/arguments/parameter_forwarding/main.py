import time


def timed(fn, *args):
    start = time.monotonic()
    result = fn(*args)
    return result, time.monotonic() - start


def traced(name, fn, *args):
    return name, timed(fn, *args)


def resize(width, height):
    return (width // 2, height // 2)


traced("resize", resize, 1920, 1080)
