"""Fraud scoring.  Rules from the 2020 chargeback post-mortem; weights are tuned by hand."""
from datetime import timedelta

from ..core.db import get_setting, now
from ..core.money import Money

RULES = []


def rule(func):
    RULES.append(func)
    return func


@rule
def large_amount(ctx):
    amount = ctx["amount"]
    if amount >= Money("2500"):
        return 40, "very large amount"
    if amount >= Money("1000"):
        return 25, "large amount"
    return 0, None


@rule
def first_order(ctx):
    return (15, "first order") if ctx["previous_orders"] == 0 else (0, None)


@rule
def address_mismatch(ctx):
    shipping, billing = ctx["shipping_country"], ctx["billing_country"]
    if billing and shipping != billing:
        return 20, "billing and shipping country differ"
    return 0, None


@rule
def far_away(ctx):
    zone = get_setting("shipping.zones", {}).get(ctx["shipping_country"])
    return (10, "ships outside the EU") if zone == "world" else (0, None)


@rule
def velocity(ctx):
    window_start = now() - timedelta(hours=1)
    recent = [p for p in ctx["recent_payments"] if p.created_at and p.created_at >= window_start
              and p.status.value == "declined"]
    if len(recent) >= 2:
        return 30, f"{len(recent)} declined attempts in the last hour"
    return 0, None


@rule
def express_newcomer(ctx):
    if ctx["previous_orders"] == 0 and ctx["express"] and ctx["amount"] >= Money("500"):
        return 15, "express shipping on a large first order"
    return 0, None


def score(ctx):
    total, reasons = 0, []
    for check in RULES:
        points, reason = check(ctx)
        if points:
            total += points
            reasons.append(reason)
    return min(total, 100), reasons


def decision(points):
    if points >= get_setting("payments.fraud_block_score", 80):
        return "block"
    if points >= get_setting("payments.fraud_review_score", 60):
        return "review"
    return "approve"
