def load_defaults():
    return {"host": "localhost", "port": 8080}


def describe():
    return f"{DEFAULTS['host']}:{DEFAULTS['port']}"


DEFAULTS = load_defaults()
BASE_URL = "http://" + describe()
