"""Money as Decimal + currency.  Never use floats for money (see incident 2016-11)."""
from decimal import Decimal, ROUND_HALF_UP, InvalidOperation

CENT = Decimal("0.01")
_SYMBOLS = {"EUR": "\u20ac", "GBP": "\u00a3", "USD": "$", "CHF": "CHF "}


def to_decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # floats sneak in from YAML; go through repr so 0.1 stays 0.1
        value = repr(value)
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a monetary amount: {value!r}") from exc


def quantize(amount):
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


class Money:
    __slots__ = ("amount", "currency")

    def __init__(self, amount=0, currency="EUR"):
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"bad currency code: {currency!r}")
        self.amount = quantize(amount)
        self.currency = currency.upper()

    # --- construction -------------------------------------------------
    @classmethod
    def zero(cls, currency="EUR"):
        return cls(0, currency)

    @classmethod
    def parse(cls, text, default_currency="EUR"):
        """Accepts '12.30', 'EUR 12.30', '12,30 EUR' (the old admin UI sent commas)."""
        parts = str(text).replace(",", ".").split()
        if len(parts) == 1:
            return cls(parts[0], default_currency)
        if len(parts) == 2:
            first, second = parts
            if first.isalpha():
                return cls(second, first)
            return cls(first, second)
        raise ValueError(f"cannot parse money: {text!r}")

    # --- arithmetic ---------------------------------------------------
    def _check(self, other):
        if not isinstance(other, Money):
            raise TypeError(f"expected Money, got {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other):
        if other == 0:
            return self
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other):
        # so that sum() works with its int 0 start value
        return self.__add__(other)

    def __sub__(self, other):
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor):
        if isinstance(factor, Money):
            raise TypeError("cannot multiply money by money")
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self):
        return Money(-self.amount, self.currency)

    def __abs__(self):
        return Money(abs(self.amount), self.currency)

    def percent(self, pct):
        return Money(self.amount * to_decimal(pct) / Decimal(100), self.currency)

    def allocate(self, weights):
        """Split into parts proportional to weights; the cents left over go to the largest
        remainders so the parts always add up to the original amount exactly."""
        weights = [to_decimal(w) for w in weights]
        if not weights:
            return []
        total_weight = sum(weights)
        cents = int((self.amount * 100).to_integral_value())
        if total_weight == 0:
            shares = [Decimal(0)] * len(weights)
        else:
            shares = [Decimal(cents) * w / total_weight for w in weights]
        floors = [int(s) for s in shares]  # int() truncates toward zero
        leftover = cents - sum(floors)
        step = 1 if leftover >= 0 else -1
        order = sorted(range(len(weights)), key=lambda i: (-(abs(shares[i] - floors[i])), i))
        for i in order[: abs(leftover)]:
            floors[i] += step
        return [Money(Decimal(c) / 100, self.currency) for c in floors]

    # --- comparison ---------------------------------------------------
    def __eq__(self, other):
        if isinstance(other, Money):
            return self.amount == other.amount and self.currency == other.currency
        if isinstance(other, (int, Decimal)) and other == 0:
            return self.amount == 0
        return NotImplemented

    def __hash__(self):
        return hash((self.amount, self.currency))

    def __lt__(self, other):
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other):
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other):
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other):
        self._check(other)
        return self.amount >= other.amount

    def __bool__(self):
        return self.amount != 0

    def is_negative(self):
        return self.amount < 0

    # --- display ------------------------------------------------------
    def __repr__(self):
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self):
        return f"{self.currency} {self.amount:.2f}"

    def format(self):
        symbol = _SYMBOLS.get(self.currency, self.currency + " ")
        sign = "-" if self.amount < 0 else ""
        return f"{sign}{symbol}{abs(self.amount):,.2f}"


def sum_money(items, currency="EUR"):
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total


def min_money(a, b):
    return a if a <= b else b
