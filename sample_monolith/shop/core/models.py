"""Base classes for every domain model."""
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from . import db as database
from .errors import ValidationError
from .money import Money


def _plain(value):
    if isinstance(value, BaseModel):
        return value.to_dict()
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(kw_only=True)
class BaseModel:
    def to_dict(self):
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)
                if not f.name.startswith("_")}

    @classmethod
    def field_names(cls):
        return [f.name for f in dataclasses.fields(cls)]

    def validate(self):
        """Override: return a dict field -> [messages]."""
        return {}

    def check(self):
        errors = self.validate()
        if errors:
            raise ValidationError(errors)
        return self

    def copy(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclass(kw_only=True)
class Entity(BaseModel):
    id: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 0

    id_prefix = "ENT"

    def assign_id(self):
        if not self.id:
            self.id = database.next_id(self.id_prefix)
        return self.id

    def touch(self):
        now = database.now()
        if self.created_at is None:
            self.created_at = now
        self.updated_at = now
        self.version += 1
        return self
