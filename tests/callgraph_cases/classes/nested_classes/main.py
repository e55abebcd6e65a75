class HttpClient:
    class Response:
        def __init__(self, status, body):
            self.status = status
            self.body = body

        def ok(self):
            return 200 <= self.status < 300

    class RetryPolicy:
        def __init__(self, attempts):
            self.attempts = attempts

        def allows(self, attempt):
            return attempt < self.attempts

    def __init__(self):
        self.retry = HttpClient.RetryPolicy(3)
        self.statuses = [503, 200]

    def get(self, path):
        attempt = 0
        response = self.Response(self.statuses.pop(0), path)
        while not response.ok() and self.retry.allows(attempt):
            attempt += 1
            response = self.Response(self.statuses.pop(0), path)
        return response


client = HttpClient()
result = client.get("/health")
