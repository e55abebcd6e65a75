"""Grab bag of helpers that did not fit anywhere else.  Do not add more.  (Everyone does.)"""
import hashlib
from collections import OrderedDict
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}


def group_by(items, key):
    groups = OrderedDict()
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def index_by(items, key):
    return {key(item): item for item in items}


def chunked(items, size):
    if size <= 0:
        raise ValueError("chunk size must be positive")
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def first(items, predicate=None, default=None):
    for item in items:
        if predicate is None or predicate(item):
            return item
    return default


def deep_get(data, path, default=None):
    current = data
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return default
    return current


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def clamp(value, low, high):
    return max(low, min(high, value))


def round_half_up(value, places=2):
    exp = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exp, rounding=ROUND_HALF_UP)


def percent_of(part, whole, places=1):
    if not whole:
        return Decimal(0)
    return round_half_up(Decimal(str(part)) * 100 / Decimal(str(whole)), places)


def stable_hash(*parts, length=8):
    """Deterministic short hash (Python's hash() is salted per process)."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length].upper()


def add_business_days(start, days, holidays=()):
    if isinstance(start, date) and not hasattr(start, "hour"):
        current = start
    else:
        current = start.date()
    holidays = set(holidays)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            added += 1
    return current
