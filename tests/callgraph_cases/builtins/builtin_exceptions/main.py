def parse_port(value):
    if not value.isdigit():
        raise ValueError(f"not a number: {value}")
    return int(value)


def require(settings, key):
    try:
        return settings[key]
    except KeyError:
        raise LookupError(f"missing setting {key}") from None


ports = []
errors = []
for raw in ("8080", "http"):
    try:
        ports.append(parse_port(raw))
    except ValueError as exc:
        errors.append(str(exc))

try:
    require({"port": "8080"}, "host")
except LookupError as exc:
    errors.append(repr(exc))
