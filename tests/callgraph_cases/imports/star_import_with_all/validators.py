__all__ = ["validate_email", "validate_username"]


def _strip(value):
    return value.strip()


def validate_email(value):
    value = _strip(value)
    return "@" in value and value.count("@") == 1


def validate_username(value):
    return _strip(value).isalnum()
