def json_renderer(data):
    return "{" + ", ".join(f'"{key}": {value}' for key, value in data.items()) + "}"


def text_renderer(data):
    return " ".join(f"{key}={value}" for key, value in data.items())


def get_renderer(fmt):
    if fmt == "json":
        return json_renderer
    return text_renderer


def make_counter():
    count = 0

    def increment():
        nonlocal count
        count += 1
        return count

    return increment


body = get_renderer("json")({"id": 1})
line = get_renderer("text")({"id": 2})
first = make_counter()()
