import pytest

from shop.core.errors import ValidationError
from shop.core.money import Money
from shop.customers import addresses, loyalty
from shop.customers import service as customers
from shop.customers.models import LoyaltyAccount
from shop.shipping import carrier, packing, rates, tracking
from shop.shipping.models import Shipment, ShipmentStatus


def test_packing_splits_heavy_orders_into_parcels():
    parcels = packing.pack([("TENT-4P", 6800, 4), ("SOCK-MER", 120, 3)])
    assert [p.weight_g for p in parcels] == [14110, 13750]  # socks fill up the first box
    assert sum(q for p in parcels for _, q in p.items) == 7


def test_rates_zones_and_free_shipping():
    domestic = rates.quote("DE", [("MAT-AIR", 450, 1)], basket_value=Money("59.00"))
    assert domestic["cost"] == Money("4.90") and not domestic["free"]
    free = rates.quote("AT", [("MAT-AIR", 450, 2)], basket_value=Money("118.00"))
    assert free["free"] and free["list_cost"] == Money("9.90")
    express = rates.quote("US", [("TENT-2P", 2300, 2)], method="express", basket_value=Money("498"))
    assert express["cost"] == Money("69.90")
    with pytest.raises(rates.RateError):
        rates.quote("JP", [("MAT-AIR", 450, 1)])


def test_tracking_numbers_carry_a_check_digit_and_status_only_moves_forward():
    number = carrier.FakeCarrier().tracking_number()
    assert carrier.valid_tracking_number(number)
    assert not carrier.valid_tracking_number(number[:-1] + str((int(number[-1]) + 1) % 10))
    shipment = Shipment(order_id="ORD-X")
    tracking.apply(shipment, ShipmentStatus.IN_TRANSIT)
    with pytest.raises(tracking.TrackingError):
        tracking.apply(shipment, ShipmentStatus.PICKED_UP)
    assert tracking.estimate_delivery(tracking.now(), 4).isoformat() == "2024-03-08"


def test_registration_validation_and_login():
    with pytest.raises(ValidationError) as info:
        customers.register("not-an-email", "", "short", sms_opt_in=True)
    assert set(info.value.errors) == {"email", "name", "password", "phone"}
    c = customers.register("Jane@Example.org", "Jane Roe", "Long-Enough-1")
    assert customers.authenticate("jane@example.org", "Long-Enough-1") is c
    assert customers.authenticate("jane@example.org", "wrong") is None
    with pytest.raises(ValidationError, match="already registered"):
        customers.register("jane@example.org", "Jane Again", "Long-Enough-1")


def test_address_rules():
    nl = addresses.build("K", "Dam 1", "amsterdam", "1012js", "nl")
    assert (nl.postcode, nl.city, nl.country) == ("1012 JS", "Amsterdam", "NL")
    assert addresses.validate(nl) == {}
    bad = addresses.build("K", "Dorfstrasse", "X", "123", "DE")
    assert set(addresses.validate(bad)) == {"street", "postcode"}
    assert "country" in addresses.validate(addresses.build("K", "1 Main", "Tokyo", "100", "JP"))


def test_loyalty_tiers_points_and_refunds():
    account = LoyaltyAccount()
    points, upgraded = loyalty.earn(account, Money("450.00"), "ORD-1")
    assert (points, upgraded, account.tier) == (450, True, "silver")
    points, _ = loyalty.earn(account, Money("100.00"), "ORD-2")
    assert points == 150  # silver earns 1.5 per euro
    assert loyalty.reverse(account, Money("200.00"), "ORD-2") == 300
    assert account.tier == "bronze" and account.points == 300
    assert loyalty.max_redeemable(account, Money("10.00")) == Money("2.00")
