from validators import *  # noqa: F403


def register(form):
    errors = []
    if not validate_email(form["email"]):  # noqa: F405
        errors.append("email")
    if not validate_username(form["username"]):  # noqa: F405
        errors.append("username")
    return errors


register({"email": " dev@example.org ", "username": "dev_1"})
