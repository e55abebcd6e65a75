class ValidationError(Exception):
    def __init__(self, field, message):
        self.field = field
        self.message = message

    def describe(self):
        return f"{self.field}: {self.message}"


def validate_signup(form):
    if "@" not in form.get("email", ""):
        raise ValidationError("email", "invalid address")
    return form


def signup(form):
    try:
        return validate_signup(form)
    except ValidationError as error:
        return {"error": error.describe()}


ok = signup({"email": "ada@example.com"})
failed = signup({"email": "nope"})
