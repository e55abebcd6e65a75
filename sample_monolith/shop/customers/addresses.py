"""Postal address rules per country.  The carrier rejects labels that break these."""
import re

from ..core.db import get_setting
from ..core.text import normalize_whitespace
from .models import Address

POSTCODE_PATTERNS = {
    "DE": r"^\d{5}$",
    "AT": r"^\d{4}$",
    "CH": r"^\d{4}$",
    "FR": r"^\d{5}$",
    "NL": r"^\d{4} ?[A-Z]{2}$",
    "GB": r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$",
    "US": r"^\d{5}(-\d{4})?$",
}


def normalise_postcode(postcode, country):
    code = normalize_whitespace(postcode).upper()
    if country == "NL" and re.match(r"^\d{4}[A-Z]{2}$", code):
        code = f"{code[:4]} {code[4:]}"
    if country == "GB" and " " not in code and len(code) > 3:
        code = f"{code[:-3]} {code[-3:]}"
    return code


def validate(address):
    errors = {}
    for field_name in ("name", "street", "city", "postcode"):
        if not normalize_whitespace(getattr(address, field_name)):
            errors.setdefault(field_name, []).append("is required")
    shippable = sorted(get_setting("shipping.zones", {}))
    if address.country not in shippable:
        errors.setdefault("country", []).append(f"we do not ship to {address.country}")
    pattern = POSTCODE_PATTERNS.get(address.country)
    if pattern and address.postcode and not re.match(pattern, address.postcode):
        errors.setdefault("postcode", []).append(f"is not a valid {address.country} postcode")
    if len(address.street) > 60:
        errors.setdefault("street", []).append("is too long for the shipping label")
    if address.street and not any(ch.isdigit() for ch in address.street) and address.country in ("DE", "AT", "NL"):
        errors.setdefault("street", []).append("needs a house number")
    return errors


def build(name, street, city, postcode, country, kind="shipping"):
    country = normalize_whitespace(country).upper()
    return Address(
        name=normalize_whitespace(name),
        street=normalize_whitespace(street),
        city=normalize_whitespace(city).title(),
        postcode=normalise_postcode(postcode, country),
        country=country,
        kind=kind,
    )


def set_default(addresses, address_id):
    target = next((a for a in addresses if a.id == address_id), None)
    if target is None:
        raise ValueError(f"unknown address {address_id}")
    for address in addresses:
        if address.kind == target.kind:
            address.default = address.id == address_id
    return target


def same_region(a, b):
    """Used by fraud scoring: shipping and billing in the same country."""
    return a is not None and b is not None and a.country == b.country
