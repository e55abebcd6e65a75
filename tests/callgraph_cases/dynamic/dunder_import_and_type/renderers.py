def to_json(response):
    pairs = [f'"{key}": "{value}"' for key, value in sorted(response.items())]
    return "{" + ", ".join(pairs) + "}"
