class HttpError(Exception):
    def __init__(self, status, detail):
        self.status = status
        self.detail = detail

    @classmethod
    def not_found(cls, path):
        return cls(404, "no such path: " + path)

    @classmethod
    def bad_request(cls, reason):
        return cls(400, reason.capitalize())

    def as_dict(self):
        return {"status": self.status, "detail": self.detail}


def route(path, query):
    if path != "/search":
        raise HttpError.not_found(path)
    if not query:
        raise HttpError.bad_request("missing query")
    return {"status": 200}


results = []
for path, query in (("/search", "q=1"), ("/nope", ""), ("/search", "")):
    try:
        results.append(route(path, query))
    except HttpError as error:
        results.append(error.as_dict())
