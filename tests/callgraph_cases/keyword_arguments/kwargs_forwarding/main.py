def require_ascii(name):
    return name.isascii()


def build_user(name, validator, role="member"):
    return {"name": name, "role": role, "valid": validator(name)}


def create_user(**kwargs):
    kwargs.setdefault("role", "admin")
    return build_user(**kwargs)


def signup(name, **options):
    return create_user(name=name, **options)


signup("margaret", validator=require_ascii)
