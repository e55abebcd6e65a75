"""In-memory table store.

Started as a thin wrapper around sqlite, switched to dicts in 2017 "just for the tests" and
never switched back.  It also grew the clock, the id sequences and a couple of shortcuts,
because everything imports it anyway.
"""
import copy
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from .errors import Conflict, NotFound

EPOCH = datetime(2024, 3, 4, 9, 0, 0)  # a Monday; the demo and tests depend on that


class FakeClock:
    """Deterministic clock.  Nothing in shop/ may call datetime.now()."""

    def __init__(self, start=EPOCH):
        self._start = start
        self._now = start

    def now(self):
        return self._now

    def today(self):
        return self._now.date()

    def advance(self, days=0, hours=0, minutes=0):
        if days < 0 or hours < 0 or minutes < 0:
            raise ValueError("time only moves forward")
        self._now = self._now + timedelta(days=days, hours=hours, minutes=minutes)
        return self._now

    def reset(self, start=None):
        self._start = start or self._start
        self._now = self._start


def _value(row, column):
    if isinstance(row, dict):
        return row.get(column)
    return getattr(row, column, None)


class Table:
    def __init__(self, name, primary_key="id", unique=()):
        self.name = name
        self.primary_key = primary_key
        self.unique = tuple(unique)
        self._rows = {}
        self._unique_index = {column: {} for column in self.unique}

    def __len__(self):
        return len(self._rows)

    def __contains__(self, key):
        return key in self._rows

    def _key(self, row):
        key = _value(row, self.primary_key)
        if key in (None, ""):
            raise ValueError(f"{self.name}: row has no {self.primary_key}")
        return key

    def _check_unique(self, row, key):
        for column in self.unique:
            value = _value(row, column)
            if value is None:
                continue
            owner = self._unique_index[column].get(value)
            if owner is not None and owner != key:
                raise Conflict(f"{self.name}.{column} {value!r} already exists", table=self.name)

    def _index(self, row, key):
        for column in self.unique:
            value = _value(row, column)
            if value is not None:
                self._unique_index[column][value] = key

    def _unindex(self, key):
        for column in self.unique:
            index = self._unique_index[column]
            for value in [v for v, k in index.items() if k == key]:
                del index[value]

    def insert(self, row):
        key = self._key(row)
        if key in self._rows:
            raise Conflict(f"{self.name} {key!r} already exists", table=self.name)
        self._check_unique(row, key)
        self._rows[key] = row
        self._index(row, key)
        return row

    def save(self, row):
        """Insert or replace."""
        key = self._key(row)
        self._check_unique(row, key)
        self._unindex(key)
        self._rows[key] = row
        self._index(row, key)
        return row

    def get(self, key):
        try:
            return self._rows[key]
        except KeyError:
            raise NotFound(self.name, key) from None

    def find(self, key):
        return self._rows.get(key)

    def get_by(self, column, value):
        if column in self._unique_index:
            key = self._unique_index[column].get(value)
            return self._rows.get(key) if key is not None else None
        return self.first(**{column: value})

    def delete(self, key):
        row = self.get(key)
        self._unindex(key)
        del self._rows[key]
        return row

    def all(self):
        return list(self._rows.values())

    def where(self, predicate=None, **criteria):
        rows = []
        for row in self._rows.values():
            if any(_value(row, col) != val for col, val in criteria.items()):
                continue
            if predicate is not None and not predicate(row):
                continue
            rows.append(row)
        return rows

    def first(self, predicate=None, **criteria):
        rows = self.where(predicate, **criteria)
        return rows[0] if rows else None

    def count(self, predicate=None, **criteria):
        return len(self.where(predicate, **criteria))

    def clear(self):
        self._rows.clear()
        for index in self._unique_index.values():
            index.clear()


class Database:
    def __init__(self):
        self._tables = {}
        self._sequences = {}
        self._snapshots = []
        self._lock = threading.RLock()
        self.clock = FakeClock()

    def table(self, name, primary_key="id", unique=()):
        """Get or create.  Repositories call this at import time."""
        with self._lock:
            table = self._tables.get(name)
            if table is None:
                table = self._tables[name] = Table(name, primary_key, unique)
            return table

    def tables(self):
        return sorted(self._tables)

    def next_id(self, prefix):
        with self._lock:
            value = self._sequences.get(prefix, 0) + 1
            self._sequences[prefix] = value
            return f"{prefix}-{value:05d}"

    @contextmanager
    def transaction(self):
        """All-or-nothing.  Nested blocks each restore their own snapshot on error."""
        with self._lock:
            snapshot = {
                name: (copy.deepcopy(t._rows), copy.deepcopy(t._unique_index))
                for name, t in self._tables.items()
            }
            self._snapshots.append((snapshot, dict(self._sequences)))
            try:
                yield self
            except BaseException:
                tables, sequences = self._snapshots.pop()
                for name, table in self._tables.items():
                    if name in tables:
                        table._rows, table._unique_index = tables[name]
                    else:
                        table.clear()
                self._sequences = sequences
                raise
            else:
                self._snapshots.pop()

    @property
    def in_transaction(self):
        return bool(self._snapshots)

    def reset(self):
        with self._lock:
            for table in self._tables.values():
                table.clear()
            self._sequences.clear()
            self._snapshots.clear()
            self.clock.reset()

    def stats(self):
        return {name: len(self._tables[name]) for name in sorted(self._tables)}


db = Database()


# ---- shortcuts everybody uses ------------------------------------------------
def now():
    return db.clock.now()


def next_id(prefix):
    return db.next_id(prefix)


def paginate(rows, page=1, per_page=20):
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page start at 1")
    start = (page - 1) * per_page
    return {
        "items": rows[start:start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(rows),
        "pages": max((len(rows) + per_page - 1) // per_page, 1),
    }


def get_setting(path, default=None):
    # imported here because config used to import db (sqlite url) -- circular back then
    from .config import settings

    return settings.get(path, default)
