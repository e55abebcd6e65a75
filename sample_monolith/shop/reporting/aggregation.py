"""Generic aggregation helpers for the reports (pandas was vetoed by ops)."""
from decimal import Decimal

from ..core.helpers import percent_of
from ..core.money import Money


def group_sum(rows, key, value):
    """Sum `value(row)` per `key(row)`; keeps Money as Money, ints as ints."""
    totals = {}
    for row in rows:
        k = key(row)
        v = value(row)
        totals[k] = totals[k] + v if k in totals else v
    return dict(sorted(totals.items()))


def group_count(rows, key):
    return group_sum(rows, key, lambda _row: 1)


def top_n(totals, n, by=None):
    by = by or (lambda item: item[1].amount if isinstance(item[1], Money) else item[1])
    return sorted(totals.items(), key=lambda item: (-by(item), str(item[0])))[:n]


def shares(totals):
    """Each key's share of the total in percent (one decimal)."""
    values = {k: (v.amount if isinstance(v, Money) else Decimal(v)) for k, v in totals.items()}
    whole = sum(values.values())
    return {k: percent_of(v, whole) for k, v in values.items()}


def percentile(values, pct):
    """Nearest-rank percentile; values need not be sorted."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def average(values):
    values = list(values)
    if not values:
        return None
    if isinstance(values[0], Money):
        total = values[0]
        for v in values[1:]:
            total = total + v
        return Money(total.amount / len(values), total.currency)
    return sum(values) / len(values)


def running_total(pairs):
    """[(label, Money)] -> [(label, Money, cumulative Money)]"""
    out, acc = [], None
    for label, value in pairs:
        acc = value if acc is None else acc + value
        out.append((label, value, acc))
    return out
