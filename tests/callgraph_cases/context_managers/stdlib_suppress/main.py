import contextlib


class Cache:
    def __init__(self):
        self.entries = {"a": 1}

    def __enter__(self):
        return self.entries

    def __exit__(self, exc_type, exc, tb):
        self.entries.clear()


def evict(entries, key):
    del entries[key]


with Cache() as entries, contextlib.suppress(KeyError):
    evict(entries, "a")
    evict(entries, "missing")
