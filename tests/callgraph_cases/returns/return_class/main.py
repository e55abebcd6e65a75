class MemoryStore:
    def __init__(self):
        self.data = {}

    def put(self, key, value):
        self.data[key] = value


class RedisStore:
    def __init__(self, url="redis://localhost"):
        self.url = url

    def put(self, key, value):
        return ("SET", key, value)


def store_class(settings):
    backends = {"memory": MemoryStore, "redis": RedisStore}
    return backends[settings["cache"]]


cls = store_class({"cache": "memory"})
store = cls()
store.put("session:1", {"user": "ada"})
