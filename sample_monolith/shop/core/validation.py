"""Tiny validation helper used by the services (the marshmallow migration never happened)."""
from .errors import ValidationError
from .text import is_email


class Validator:
    def __init__(self):
        self.errors = {}

    def add(self, field, message):
        self.errors.setdefault(field, []).append(message)
        return self

    def require(self, field, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, "is required")
            return False
        return True

    def check(self, condition, field, message):
        if not condition:
            self.add(field, message)
        return bool(condition)

    def length(self, field, value, min_len=0, max_len=None):
        if value is None:
            return False
        if len(value) < min_len:
            return self.check(False, field, f"must be at least {min_len} characters")
        if max_len is not None and len(value) > max_len:
            return self.check(False, field, f"must be at most {max_len} characters")
        return True

    def positive(self, field, value, allow_zero=False):
        try:
            ok = value >= 0 if allow_zero else value > 0
        except TypeError:
            ok = False
        return self.check(ok, field, "must be zero or more" if allow_zero else "must be positive")

    def email(self, field, value):
        if self.require(field, value):
            return self.check(is_email(value), field, "is not a valid e-mail address")
        return False

    def one_of(self, field, value, choices):
        return self.check(value in choices, field, f"must be one of {', '.join(sorted(map(str, choices)))}")

    @property
    def ok(self):
        return not self.errors

    def raise_if_errors(self):
        if self.errors:
            raise ValidationError(self.errors)
