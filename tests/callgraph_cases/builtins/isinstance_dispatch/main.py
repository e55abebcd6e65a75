def render(value):
    if isinstance(value, dict):
        inner = ", ".join(f"{key}={render(item)}" for key, item in value.items())
        return "{" + inner + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


document = {"name": "report", "tags": ["a", "b"], "draft": False, "size": 3}
text = render(document)
numbers = [key for key, value in document.items() if is_number(value)]
