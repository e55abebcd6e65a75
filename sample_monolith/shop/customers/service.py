"""Customer accounts."""
import hashlib

from ..core.db import get_setting
from ..core.errors import NotFound, ValidationError
from ..core.events import publish
from ..core.log import audit
from ..core.text import normalize_email, normalize_phone, normalize_whitespace
from ..core.validation import Validator
from . import addresses, loyalty, repository
from .models import Customer

_PBKDF2_ROUNDS = 1000  # was 10 in 2015. Do not ask.


def hash_password(email, password):
    # per-user salt from the e-mail: legacy scheme, kept so old hashes still verify
    salt = hashlib.sha256(email.encode("utf-8")).digest()[:16]
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _PBKDF2_ROUNDS)
    return "pbkdf2$" + digest.hex()


def password_problems(password):
    problems = []
    if len(password) < get_setting("customers.password_min_length", 10):
        problems.append("is too short")
    if password.lower() == password or password.upper() == password:
        problems.append("needs upper and lower case letters")
    if not any(ch.isdigit() for ch in password):
        problems.append("needs a digit")
    return problems


def register(email, name, password, phone="", language="en", marketing_opt_in=False,
             sms_opt_in=False, country="DE"):
    email = normalize_email(email)
    v = Validator()
    v.email("email", email)
    v.require("name", normalize_whitespace(name))
    for problem in password_problems(password):
        v.add("password", problem)
    if repository.find_by_email(email) is not None:
        v.add("email", "is already registered")
    phone = normalize_phone(phone, country) if phone else ""
    v.check(not sms_opt_in or phone, "phone", "is required for SMS notifications")
    v.one_of("language", language, ("de", "en", "fr", "nl"))
    v.raise_if_errors()
    customer = Customer(email=email, name=normalize_whitespace(name), phone=phone,
                        password_hash=hash_password(email, password), language=language,
                        marketing_opt_in=marketing_opt_in, sms_opt_in=sms_opt_in)
    repository.save(customer)
    audit.record("customers", "customer.registered", customer.id)
    publish("customer.registered", customer_id=customer.id)
    return customer


def authenticate(email, password):
    customer = repository.find_by_email(email)
    if customer is None or customer.blocked:
        return None
    if customer.password_hash != hash_password(customer.email, password):
        return None
    return customer


def get_customer(customer_id):
    return repository.get(customer_id)


def add_address(customer_id, name, street, city, postcode, country, kind="shipping", default=False):
    customer = repository.get(customer_id)
    address = addresses.build(name, street, city, postcode, country, kind)
    errors = addresses.validate(address)
    if errors:
        raise ValidationError(errors)
    address.id = f"{customer.id}-A{len(customer.addresses) + 1}"
    customer.addresses.append(address)
    if default or len([a for a in customer.addresses if a.kind == kind]) == 1:
        addresses.set_default(customer.addresses, address.id)
    repository.save(customer)
    return address


def get_address(customer_id, address_id=None, kind="shipping"):
    customer = repository.get(customer_id)
    address = customer.address(address_id) if address_id else customer.default_address(kind)
    if address is None:
        raise NotFound("address", address_id or f"{customer_id}/{kind}")
    return address


def discount_percent(customer_id):
    return loyalty.discount_percent(repository.get(customer_id).loyalty)


def record_purchase(customer_id, amount, reference):
    customer = repository.get(customer_id)
    points, upgraded = loyalty.earn(customer.loyalty, amount, reference)
    customer.order_count += 1
    repository.save(customer)
    if upgraded:
        publish("customer.tier_changed", customer_id=customer.id, tier=customer.loyalty.tier)
    return points


def record_refund(customer_id, amount, reference):
    customer = repository.get(customer_id)
    old_tier = customer.loyalty.tier
    taken = loyalty.reverse(customer.loyalty, amount, reference)
    repository.save(customer)
    if customer.loyalty.tier != old_tier:
        publish("customer.tier_changed", customer_id=customer.id, tier=customer.loyalty.tier)
    return taken


def block(customer_id, reason):
    customer = repository.get(customer_id)
    customer.blocked = True
    repository.save(customer)
    audit.record("customers", "customer.blocked", customer_id, reason=reason)
    return customer


def contact_preferences(customer_id):
    customer = repository.get(customer_id)
    channels = list(get_setting("notifications.default_channels", ["email"]))
    if customer.sms_opt_in and customer.phone and "sms" not in channels:
        channels.append("sms")
    return {"email": customer.email, "phone": customer.phone, "language": customer.language,
            "channels": channels, "name": customer.name}
