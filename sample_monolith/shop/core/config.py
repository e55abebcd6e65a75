"""Settings.

Defaults live in DEFAULT_SETTINGS_YAML below (ops wanted one file to diff).  A YAML file named
by $SHOP_SETTINGS is merged on top, then SHOP__SECTION__KEY environment variables.
"""
import copy
import os

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader

from .errors import ConfigError

DEFAULT_SETTINGS_YAML = """
shop:
  name: Acme Outdoor Supplies
  currency: EUR
  country: DE
  support_email: support@acme-outdoor.example
  debug: false

tax:
  prices_include_tax: false
  rates:
    DE: {standard: "19", reduced: "7", zero: "0"}
    AT: {standard: "20", reduced: "10", zero: "0"}
    FR: {standard: "20", reduced: "5.5", zero: "0"}
    NL: {standard: "21", reduced: "9", zero: "0"}
    GB: {standard: "20", reduced: "5", zero: "0"}
    CH: {standard: "8.1", reduced: "2.6", zero: "0"}
    US: {standard: "0", reduced: "0", zero: "0"}
  export_countries: [CH, US]

inventory:
  low_stock_threshold: 5
  reservation_ttl_minutes: 30
  backorder_categories: [books]
  warehouses:
    - {code: BER, name: Berlin Main, priority: 1}
    - {code: HAM, name: Hamburg Overflow, priority: 2}

orders:
  max_lines: 50
  max_quantity_per_line: 99
  cancel_window_hours: 24
  min_order_value: "5.00"

payments:
  gateway: fake
  gateway_url: https://payments.example.invalid/api/v2
  card_fee_percent: "1.4"
  card_fee_fixed: "0.25"
  wallet_fee_percent: "1.9"
  three_ds_threshold: "250.00"
  fraud_review_score: 60
  fraud_block_score: 80
  single_charge_limit: "5000.00"

shipping:
  carrier: dhl
  carrier_url: https://tracking.example.invalid/v1
  free_shipping_threshold: "75.00"
  volumetric_divisor: 5000
  max_parcel_weight_g: 20000
  zones: {DE: domestic, AT: eu, FR: eu, NL: eu, GB: world, CH: world, US: world}
  rates:
    standard:
      domestic: [[2000, "4.90"], [5000, "6.90"], [20000, "11.90"]]
      eu: [[2000, "9.90"], [5000, "14.90"], [20000, "24.90"]]
      world: [[2000, "19.90"], [5000, "34.90"], [20000, "59.90"]]
    express:
      domestic: [[2000, "12.90"], [5000, "16.90"], [20000, "24.90"]]
      eu: [[2000, "24.90"], [5000, "32.90"], [20000, "49.90"]]
      world: [[2000, "44.90"], [5000, "69.90"], [20000, "99.90"]]
  transit_days:
    standard: {domestic: 2, eu: 4, world: 8}
    express: {domestic: 1, eu: 2, world: 4}

customers:
  password_min_length: 10
  loyalty:
    point_value: "0.01"
    max_redeem_percent: 20
    tiers:
      - {name: bronze, min_spend: "0", discount_percent: "0", points_per_euro: "1"}
      - {name: silver, min_spend: "400", discount_percent: "2", points_per_euro: "1.5"}
      - {name: gold, min_spend: "1500", discount_percent: "5", points_per_euro: "2"}

notifications:
  sender: "Acme Outdoor <noreply@acme-outdoor.example>"
  ops_email: ops@acme-outdoor.example
  default_channels: [email]
  sms_segment_length: 160
  sms_cost_per_segment: "0.07"
  max_attempts: 3

reporting:
  top_products: 5
"""

ENV_PREFIX = "SHOP__"


class Settings:
    """Read-only view over the merged settings dict.  settings.get('tax.rates.DE')."""

    def __init__(self, data):
        self._data = data

    def get(self, path, default=None):
        current = self._data
        for part in path.split("."):
            if isinstance(current, dict) and part in current:
                current = current[part]
            else:
                return default
        return copy.deepcopy(current)

    def section(self, name):
        return Settings(self._data.get(name, {}))

    def __getattr__(self, name):
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        return Settings(value) if isinstance(value, dict) else value

    def __contains__(self, path):
        return self.get(path, _MISSING) is not _MISSING

    def as_dict(self):
        return copy.deepcopy(self._data)


_MISSING = object()


def deep_merge(base, override):
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _coerce(value):
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered.lstrip("-").isdigit():
        return int(lowered)
    if "," in value:
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def env_overrides(environ):
    overrides = {}
    for key in sorted(environ):
        if not key.startswith(ENV_PREFIX):
            continue
        path = [p.lower() for p in key[len(ENV_PREFIX):].split("__") if p]
        if not path:
            continue
        node = overrides
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _coerce(environ[key])
    return overrides


def validate(data):
    problems = []
    currency = data.get("shop", {}).get("currency", "")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        problems.append(f"shop.currency must be a 3-letter code, got {currency!r}")
    for country, rates in sorted(data.get("tax", {}).get("rates", {}).items()):
        for tax_class, rate in sorted(rates.items()):
            try:
                value = float(rate)
            except (TypeError, ValueError):
                problems.append(f"tax.rates.{country}.{tax_class} is not a number")
                continue
            if not 0 <= value <= 100:
                problems.append(f"tax.rates.{country}.{tax_class} out of range")
    tiers = data.get("customers", {}).get("loyalty", {}).get("tiers", [])
    spends = [float(t.get("min_spend", 0)) for t in tiers]
    if spends != sorted(spends):
        problems.append("customers.loyalty.tiers must be sorted by min_spend")
    zones = data.get("shipping", {}).get("zones", {})
    rates = data.get("shipping", {}).get("rates", {})
    for method, table in sorted(rates.items()):
        for zone in sorted(set(zones.values())):
            if zone not in table:
                problems.append(f"shipping.rates.{method} has no rates for zone {zone}")
    if problems:
        raise ConfigError("invalid settings: " + "; ".join(problems))
    return data


def load_settings(path=None, environ=None):
    environ = os.environ if environ is None else environ
    data = yaml.load(DEFAULT_SETTINGS_YAML, Loader=_Loader)
    path = path or environ.get("SHOP_SETTINGS")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                extra = yaml.load(fh, Loader=_Loader) or {}
        except OSError as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        if not isinstance(extra, dict):
            raise ConfigError(f"settings file {path} must contain a mapping")
        data = deep_merge(data, extra)
    data = deep_merge(data, env_overrides(environ))
    return Settings(validate(data))


settings = load_settings()
