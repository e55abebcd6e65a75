SETTINGS = {"timeout": "2.5"}


def default_timeout():
    return float(SETTINGS.get("timeout", "10"))


def default_headers():
    return {"User-Agent": "monocut-test"}


def default_retries():
    return 3


def connect(host, timeout=default_timeout(), headers=default_headers()):  # noqa: B008
    return {"host": host, "timeout": timeout, "headers": headers}


class Client:
    def request(self, path, retries=default_retries()):  # noqa: B008
        return connect("api.local"), path, retries


conn = connect("db.local")
reply = Client().request("/users")
