"""Synchronous in-process event bus.

Handlers run in (priority, subscription order).  Events published from inside a handler are
queued and dispatched after the current one, so dispatch order is stable and never recursive.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from .log import get_logger

log = get_logger("core.events")


@dataclass(frozen=True)
class Event:
    name: str
    seq: int
    payload: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.payload[key]

    def get(self, key, default=None):
        return self.payload.get(key, default)


def matches(pattern, name):
    if pattern == "*" or pattern == name:
        return True
    if pattern.endswith(".*"):
        return name.startswith(pattern[:-1])
    return False


class EventBus:
    def __init__(self, strict=False):
        self.strict = strict
        self._subscriptions = []
        self._order = 0
        self._seq = 0
        self._queue = []
        self._dispatching = False
        self._muted = 0
        self.history = []
        self.failures = []

    def subscribe(self, pattern, handler=None, priority=100):
        def register(func):
            self._order += 1
            self._subscriptions.append((priority, self._order, pattern, func))
            self._subscriptions.sort(key=lambda s: (s[0], s[1]))
            return func

        if handler is None:
            return register
        return register(handler)

    def unsubscribe(self, handler):
        before = len(self._subscriptions)
        self._subscriptions = [s for s in self._subscriptions if s[3] is not handler]
        return before - len(self._subscriptions)

    def handlers_for(self, name):
        return [s[3] for s in self._subscriptions if matches(s[2], name)]

    def publish(self, name, **payload):
        self._seq += 1
        event = Event(name=name, seq=self._seq, payload=payload)
        self.history.append(event)
        if self._muted:
            return event
        self._queue.append(event)
        if not self._dispatching:
            self._drain()
        return event

    def _drain(self):
        self._dispatching = True
        try:
            while self._queue:
                event = self._queue.pop(0)
                for handler in self.handlers_for(event.name):
                    try:
                        handler(event)
                    except Exception as exc:  # one bad handler must not break checkout
                        self.failures.append((event.name, getattr(handler, "__name__", "?"), repr(exc)))
                        log.error("handler failed", extra={"kv": {"event": event.name, "error": repr(exc)}})
                        if self.strict:
                            self._queue.clear()
                            raise
        finally:
            self._dispatching = False

    @contextmanager
    def muted(self):
        self._muted += 1
        try:
            yield self
        finally:
            self._muted -= 1

    def names(self):
        return [event.name for event in self.history]

    def clear(self, subscriptions=True):
        self.history.clear()
        self.failures.clear()
        self._queue.clear()
        self._seq = 0
        if subscriptions:
            self._subscriptions.clear()


bus = EventBus()


def publish(name, **payload):
    return bus.publish(name, **payload)


def subscribe(pattern, handler=None, priority=100):
    return bus.subscribe(pattern, handler, priority)
