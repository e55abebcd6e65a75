from decimal import Decimal

import pytest

from shop.core.config import load_settings
from shop.core.db import Database
from shop.core.errors import ConfigError, Conflict
from shop.core.events import EventBus
from shop.core.money import Money
from shop.core.text import normalize_phone, slugify


def test_money_allocate_always_adds_up():
    total = Money("100.00")
    parts = total.allocate([1, 1, 1])
    assert [str(p) for p in parts] == ["EUR 33.34", "EUR 33.33", "EUR 33.33"]
    assert sum(parts, Money.zero()) == total
    assert sum(Money("0.05").allocate([3, 7]), Money.zero()) == Money("0.05")


def test_money_rejects_mixed_currencies_and_rounds_half_up():
    with pytest.raises(ValueError):
        Money("1", "EUR") + Money("1", "GBP")
    assert Money("0.125").amount == Decimal("0.13")
    assert Money.parse("12,30 EUR") == Money("12.30")
    assert Money("1234.5").format() == "\u20ac1,234.50"


def test_transaction_rolls_back_rows_and_sequences():
    db = Database()
    table = db.table("things", primary_key="id", unique=("name",))
    table.insert({"id": "a", "name": "alpha"})
    with pytest.raises(Conflict):
        with db.transaction():
            table.insert({"id": db.next_id("T"), "name": "beta"})
            table.insert({"id": "c", "name": "alpha"})  # unique violation
    assert [r["id"] for r in table.all()] == ["a"]
    assert db.next_id("T") == "T-00001"


def test_event_bus_dispatches_nested_events_in_order_and_isolates_failures():
    bus = EventBus()
    seen = []

    def first(event):
        seen.append(("first", event.name))
        if event.name == "a.one":
            bus.publish("a.two")

    def broken(event):
        raise RuntimeError("boom")

    bus.subscribe("a.*", first)
    bus.subscribe("a.one", broken, priority=1)
    bus.subscribe("*", lambda e: seen.append(("all", e.name)), priority=500)
    bus.publish("a.one")
    assert seen == [("first", "a.one"), ("all", "a.one"), ("first", "a.two"), ("all", "a.two")]
    assert bus.failures == [("a.one", "broken", "RuntimeError('boom')")]


def test_settings_merge_file_and_environment(tmp_path):
    override = tmp_path / "prod.yaml"
    override.write_text("shop:\n  name: Acme Prod\norders:\n  max_lines: 10\n")
    settings = load_settings(str(override), environ={"SHOP__ORDERS__MAX_LINES": "12"})
    assert settings.get("shop.name") == "Acme Prod"
    assert settings.get("orders.max_lines") == 12
    assert settings.get("shop.currency") == "EUR"


def test_invalid_settings_are_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tax:\n  rates:\n    DE: {standard: '190'}\n")
    with pytest.raises(ConfigError, match="out of range"):
        load_settings(str(bad), environ={})


def test_text_helpers():
    assert slugify("Schlafsack Größe XL!") == "schlafsack-groesse-xl"
    assert normalize_phone("0170 1234567", "DE") == "+491701234567"
    assert normalize_phone("0044 20 7946 0958") == "+442079460958"
    assert normalize_phone("12") == ""
