class HttpClient:
    def __init__(self, base_url):
        self.base_url = base_url

    def get(self, path):
        return {"url": self.base_url + path, "status": 200}


def with_retries(operation, attempts=2):
    last = None
    for _ in range(attempts):
        last = operation()
        if last["status"] == 200:
            return last
    return last


client = HttpClient("https://api.example.com")
with_retries(lambda: client.get("/health"))
