class Cache:
    def __init__(self):
        self.store = {}

    def put(self, key, value):
        self.store[key] = value

    def get(self, key):
        return self.store.get(key)


def make_cache():
    return Cache()


def load_user(key):
    return {"id": key, "name": "ada"}


primary = replica = make_cache()
loader = fetch = load_user

primary.put("user:1", loader("user:1"))
cached = replica.get("user:1")
fresh = fetch("user:2")
