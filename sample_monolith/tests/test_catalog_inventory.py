import pytest

from shop.catalog import pricing, promotions
from shop.catalog import repository as catalog_repository
from shop.core.db import db
from shop.core.errors import ValidationError
from shop.core.money import Money
from shop.inventory import OutOfStock
from shop.inventory import repository as inventory_repository
from shop.inventory import service as inventory


def test_quantity_breaks_pick_the_best_applicable_price():
    stove = catalog_repository.get_product("STOVE-GAS")
    assert pricing.unit_price(stove, 1) == Money("39.90")
    assert pricing.unit_price(stove, 3) == Money("35.90")
    assert pricing.unit_price(stove, 12) == Money("32.00")
    assert pricing.savings(stove, 10) == Money("79.00")


def test_product_validation_collects_all_problems():
    from shop.catalog import service

    with pytest.raises(ValidationError) as info:
        service.create_product("BAD SKU!", "", "tents", "-1", weight_g=0)
    assert set(info.value.errors) == {"sku", "name", "price", "weight_g"}


def test_bundle_promotion_gives_cheapest_units_free():
    lines = [{"sku": "SOCK-MER", "quantity": 7, "unit_price": Money("14.90")}]
    promo, discount = promotions.calculate_discount("socks3for2", lines, Money("104.30"))
    assert promo.code == "SOCKS3FOR2"
    assert discount == Money("29.80")  # 7 socks -> 2 free


def test_promotion_minimum_basket_and_expiry():
    with pytest.raises(promotions.PromotionError, match="at least"):
        promotions.calculate_discount("SPRING10", [], Money("99.99"))
    db.clock.advance(days=31)
    with pytest.raises(promotions.PromotionError, match="expired"):
        promotions.calculate_discount("SPRING10", [], Money("500"))


def test_reservation_prefers_one_warehouse_and_is_all_or_nothing():
    reservation = inventory.reserve("ORD-T1", {"TENT-2P": 2, "SOCK-MER": 5})
    assert {(a.sku, a.warehouse, a.quantity) for a in reservation.allocations} == {
        ("TENT-2P", "BER", 2), ("SOCK-MER", "BER", 5)}
    before = inventory.available("TENT-4P"), inventory.available("MAT-AIR")
    with pytest.raises(OutOfStock) as info:
        inventory.reserve("ORD-T2", {"MAT-AIR": 1, "TENT-4P": 4})
    assert info.value.shortages == {"TENT-4P": 1}
    assert (inventory.available("TENT-4P"), inventory.available("MAT-AIR")) == before


def test_reservation_splits_across_warehouses_and_backorders_books():
    reservation = inventory.reserve("ORD-T3", {"TENT-2P": 10, "BOOK-ALPS": 5},
                                    categories={"TENT-2P": "tents", "BOOK-ALPS": "books"})
    split = sorted((a.warehouse, a.quantity) for a in reservation.allocations if a.sku == "TENT-2P")
    assert split == [("BER", 8), ("HAM", 2)]
    assert reservation.backordered == {"BOOK-ALPS": 3}


def test_reservations_expire_and_commit_decrements_stock():
    inventory.reserve("ORD-T4", {"POT-SET": 2})
    inventory.reserve("ORD-T5", {"POT-SET": 3})
    assert inventory.available("POT-SET") == 7
    inventory.commit("ORD-T5")
    db.clock.advance(minutes=31)
    assert inventory.expire_reservations() == ["ORD-T4"]
    assert inventory.available("POT-SET") == 9
    assert inventory_repository.get_stock("POT-SET", "BER").on_hand == 9
