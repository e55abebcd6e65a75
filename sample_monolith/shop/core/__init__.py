"""Shared infrastructure.  Everything in here was supposed to be temporary."""
from .errors import Conflict, InvalidTransition, NotFound, ShopError, ValidationError
from .money import Money

__all__ = ["Conflict", "InvalidTransition", "Money", "NotFound", "ShopError", "ValidationError"]
