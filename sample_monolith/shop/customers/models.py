from dataclasses import dataclass, field
from ..core.db import get_setting
from ..core.models import BaseModel, Entity
from ..core.money import Money


@dataclass(kw_only=True)
class Address(BaseModel):
    id: str = ""
    name: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = field(default_factory=lambda: get_setting("shop.country", "DE"))
    kind: str = "shipping"  # shipping | billing
    default: bool = False

    def one_line(self):
        return f"{self.name}, {self.street}, {self.postcode} {self.city}, {self.country}"


@dataclass(kw_only=True)
class LoyaltyAccount(BaseModel):
    points: int = 0
    lifetime_spend: Money = field(default_factory=Money.zero)
    tier: str = "bronze"
    history: list = field(default_factory=list)  # (reference, delta, reason)


@dataclass(kw_only=True)
class Customer(Entity):
    id_prefix = "CUS"

    email: str = ""
    name: str = ""
    phone: str = ""
    password_hash: str = ""
    language: str = "en"
    marketing_opt_in: bool = False
    sms_opt_in: bool = False
    blocked: bool = False
    addresses: list = field(default_factory=list)
    loyalty: LoyaltyAccount = field(default_factory=LoyaltyAccount)
    order_count: int = 0

    def address(self, address_id):
        for address in self.addresses:
            if address.id == address_id:
                return address
        return None

    def default_address(self, kind="shipping"):
        candidates = [a for a in self.addresses if a.kind == kind]
        for address in candidates:
            if address.default:
                return address
        return candidates[0] if candidates else None

    @property
    def first_name(self):
        return self.name.split(" ")[0] if self.name else ""
