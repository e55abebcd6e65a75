"""Loyalty programme: tiers by lifetime spend, points per euro, points as payment."""
from decimal import Decimal, ROUND_DOWN

from ..core.db import get_setting
from ..core.money import Money


def tiers():
    return [
        {
            "name": t["name"],
            "min_spend": Money(t["min_spend"]),
            "discount_percent": Decimal(str(t["discount_percent"])),
            "points_per_euro": Decimal(str(t["points_per_euro"])),
        }
        for t in get_setting("customers.loyalty.tiers", [])
    ]


def tier_for(lifetime_spend):
    current = tiers()[0]
    for tier in tiers():
        if lifetime_spend >= tier["min_spend"]:
            current = tier
    return current


def discount_percent(account):
    return tier_for(account.lifetime_spend)["discount_percent"]


def points_for(account, amount):
    rate = tier_for(account.lifetime_spend)["points_per_euro"]
    return int((amount.amount * rate).to_integral_value(rounding=ROUND_DOWN))


def earn(account, amount, reference):
    points = points_for(account, amount)
    account.points += points
    account.lifetime_spend = account.lifetime_spend + amount
    old_tier = account.tier
    account.tier = tier_for(account.lifetime_spend)["name"]
    account.history.append((reference, points, "earned"))
    return points, old_tier != account.tier


def reverse(account, amount, reference):
    """Refund: take back the points the amount earned (never below zero) and the spend."""
    points = points_for(account, amount)
    taken = min(points, account.points)
    account.points -= taken
    spend = account.lifetime_spend - amount
    account.lifetime_spend = spend if not spend.is_negative() else Money.zero(spend.currency)
    account.tier = tier_for(account.lifetime_spend)["name"]
    account.history.append((reference, -taken, "refund"))
    return taken


def max_redeemable(account, order_total):
    point_value = Decimal(get_setting("customers.loyalty.point_value", "0.01"))
    cap = order_total.percent(get_setting("customers.loyalty.max_redeem_percent", 20))
    by_points = Money(Decimal(account.points) * point_value, order_total.currency)
    return by_points if by_points <= cap else cap


def redeem(account, amount, reference):
    point_value = Decimal(get_setting("customers.loyalty.point_value", "0.01"))
    points = int((amount.amount / point_value).to_integral_value())
    if points > account.points:
        raise ValueError(f"only {account.points} points available, {points} needed")
    account.points -= points
    account.history.append((reference, -points, "redeemed"))
    return points
