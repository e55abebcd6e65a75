class PriceCache:
    def __init__(self):
        self.prices = {}

    def update(self, payload):
        self.prices.update(payload)


class Metrics:
    def __init__(self):
        self.counters = {}

    def count_update(self, payload):
        self.counters["updates"] = self.counters.get("updates", 0) + len(payload)


def download(url):
    return {"EURUSD": 1.08, "GBPUSD": 1.27}


def poll(url, *callbacks):
    payload = download(url)
    for callback in callbacks:
        callback(payload)


cache = PriceCache()
metrics = Metrics()
poll("https://rates.example.com/latest", cache.update, metrics.count_update)
