"""Card payments: Luhn, brand, expiry, CVC, 3-D Secure threshold."""
from ..core.db import get_setting, now
from ..core.helpers import stable_hash
from ..core.money import Money
from ..core.text import mask_card, only_digits
from .methods import PaymentMethod

BRANDS = (
    ("amex", ("34", "37"), (15,)),
    ("visa", ("4",), (13, 16, 19)),
    ("mastercard", tuple(str(p) for p in range(51, 56)) + tuple(str(p) for p in range(2221, 2721)), (16,)),
)


def luhn_valid(number):
    digits = only_digits(number)
    if not digits:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def brand_of(number):
    digits = only_digits(number)
    for brand, prefixes, lengths in BRANDS:
        if digits.startswith(prefixes) and len(digits) in lengths:
            return brand
    return None


def parse_expiry(text):
    month, _, year = text.partition("/")
    month, year = int(month), int(year)
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        raise ValueError("bad month")
    return year, month


class CardPayment(PaymentMethod):
    kind = "card"
    fee_percent_setting = "payments.card_fee_percent"
    fee_fixed_setting = "payments.card_fee_fixed"

    @property
    def number(self):
        return only_digits(self.details.get("number", ""))

    def validate(self):
        errors = {}
        if not luhn_valid(self.number):
            errors["number"] = ["is not a valid card number"]
        brand = brand_of(self.number)
        if brand is None:
            errors.setdefault("number", []).append("card brand not accepted")
        try:
            year, month = parse_expiry(self.details.get("expiry", ""))
            today = now()
            if (year, month) < (today.year, today.month):
                errors["expiry"] = ["card has expired"]
        except ValueError:
            errors["expiry"] = ["use MM/YY"]
        cvc = only_digits(self.details.get("cvc", ""))
        if len(cvc) != (4 if brand == "amex" else 3):
            errors["cvc"] = ["has the wrong length"]
        if not self.details.get("holder", "").strip():
            errors["holder"] = ["is required"]
        return errors

    def token(self):
        return f"tok_card_{self.number[-4:]}_{stable_hash(self.number, self.details.get('expiry'))}"

    def label(self):
        return f"{(brand_of(self.number) or 'card').upper()} {mask_card(self.number)[-8:]}"

    def requires_challenge(self, amount):
        threshold = Money(get_setting("payments.three_ds_threshold", "250.00"), amount.currency)
        return amount >= threshold
