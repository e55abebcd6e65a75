"""VAT.  Per-line rounding (what the accountants' system does), destination-country rates,
zero rating for exports, shipping taxed proportionally to the goods it carries."""
from decimal import Decimal

from ..core.db import get_setting
from ..core.money import Money


class TaxError(ValueError):
    pass


def rate_for(country, tax_class="standard"):
    if country in (get_setting("tax.export_countries") or []):
        return Decimal(0)
    rates = get_setting(f"tax.rates.{country}")
    if rates is None:
        raise TaxError(f"no VAT rates configured for {country}")
    try:
        return Decimal(str(rates[tax_class]))
    except KeyError:
        raise TaxError(f"no {tax_class} VAT rate for {country}") from None


def tax_on_net(net, rate):
    return net.percent(rate)


def tax_in_gross(gross, rate):
    """Tax contained in a tax-inclusive price."""
    if rate == 0:
        return Money.zero(gross.currency)
    return gross - Money(gross.amount * 100 / (100 + rate), gross.currency)


def apply_line_taxes(lines, country):
    inclusive = bool(get_setting("tax.prices_include_tax", False))
    for line in lines:
        line.tax_rate = rate_for(country, line.tax_class)
        if inclusive:
            line.tax = tax_in_gross(line.net, line.tax_rate)
        else:
            line.tax = tax_on_net(line.net, line.tax_rate)
    return lines


def shipping_tax(shipping_cost, lines):
    """Shipping follows the goods: split the cost by each rate's share of the net amount."""
    if not shipping_cost:
        return Money.zero(shipping_cost.currency)
    by_rate = {}
    for line in lines:
        by_rate[line.tax_rate] = by_rate.get(line.tax_rate, Money.zero()) + line.net
    rates = sorted(by_rate)
    weights = [by_rate[r].amount for r in rates]
    if sum(weights) == 0:
        return Money.zero(shipping_cost.currency)
    parts = shipping_cost.allocate(weights)
    total = Money.zero(shipping_cost.currency)
    for rate, part in zip(rates, parts):
        total = total + tax_on_net(part, rate)
    return total


def summary_by_rate(lines):
    """{rate: (net, tax)} for the invoice footer."""
    summary = {}
    for line in lines:
        net, tax = summary.get(line.tax_rate, (Money.zero(), Money.zero()))
        summary[line.tax_rate] = (net + line.net, tax + line.tax)
    return dict(sorted(summary.items()))
