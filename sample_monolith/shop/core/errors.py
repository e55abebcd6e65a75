"""Exception hierarchy.

Everything the shop raises on purpose derives from ShopError so the (long gone) Flask
error handler could turn it into JSON.  api.py modules still call ``to_dict()``.
"""


class ShopError(Exception):
    code = "shop_error"
    http_status = 500

    def __init__(self, message="", **context):
        super().__init__(message or self.code)
        self.message = message or self.code
        self.context = context

    def to_dict(self):
        data = {"error": self.code, "message": self.message}
        if self.context:
            data["context"] = {k: str(v) for k, v in sorted(self.context.items())}
        return data


class ConfigError(ShopError):
    code = "config_error"


class ValidationError(ShopError):
    code = "validation_error"
    http_status = 422

    def __init__(self, errors, message=None):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        normalised = {}
        for field, msgs in errors.items():
            if isinstance(msgs, (list, tuple)):
                normalised[field] = [str(m) for m in msgs]
            else:
                normalised[field] = [str(msgs)]
        self.errors = normalised
        summary = message or "; ".join(
            f"{field}: {', '.join(msgs)}" for field, msgs in sorted(normalised.items())
        )
        super().__init__(summary)

    def to_dict(self):
        data = super().to_dict()
        data["fields"] = {k: v for k, v in sorted(self.errors.items())}
        return data


class NotFound(ShopError):
    code = "not_found"
    http_status = 404

    def __init__(self, kind, key):
        super().__init__(f"{kind} {key!r} not found", kind=kind, key=key)
        self.kind = kind
        self.key = key


class Conflict(ShopError):
    code = "conflict"
    http_status = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"

    def __init__(self, entity, state, event):
        super().__init__(
            f"{entity} cannot '{event}' while {state}", entity=entity, state=state, event=event
        )
        self.entity = entity
        self.state = state
        self.event = event


class ExternalServiceError(ShopError):
    code = "external_service_error"
    http_status = 502
