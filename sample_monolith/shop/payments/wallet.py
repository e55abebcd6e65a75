"""Wallet payments (PayPal, Apple Pay, Google Pay) and store gift cards."""
from ..core.db import now
from ..core.helpers import stable_hash
from ..core.money import Money
from ..core.text import is_email, mask_email
from .methods import PaymentMethod

PROVIDERS = {"paypal": "PayPal", "applepay": "Apple Pay", "googlepay": "Google Pay"}


class WalletPayment(PaymentMethod):
    kind = "wallet"
    fee_percent_setting = "payments.wallet_fee_percent"

    @property
    def provider(self):
        return self.details.get("provider", "").lower()

    def validate(self):
        errors = {}
        if self.provider not in PROVIDERS:
            errors["provider"] = [f"must be one of {', '.join(sorted(PROVIDERS))}"]
        account = self.details.get("account", "")
        if self.provider == "paypal" and not is_email(account):
            errors["account"] = ["PayPal needs the account e-mail"]
        if self.provider in ("applepay", "googlepay") and len(account) < 16:
            errors["account"] = ["device token is too short"]
        return errors

    def token(self):
        return f"tok_{self.provider}_{stable_hash(self.provider, self.details.get('account'))}"

    def label(self):
        account = self.details.get("account", "")
        shown = mask_email(account) if "@" in account else account[-4:]
        return f"{PROVIDERS.get(self.provider, self.provider)} ({shown})"


class GiftCardPayment(PaymentMethod):
    """Store gift cards: no fees, no partial refunds (refunds go to a new card by hand)."""

    kind = "giftcard"
    supports_partial_refund = False

    def validate(self):
        code = self.details.get("code", "")
        balance = self.details.get("balance")
        errors = {}
        if len(code) != 16 or not code.isalnum():
            errors["code"] = ["gift card codes have 16 letters or digits"]
        if balance is None or not isinstance(balance, Money):
            errors["balance"] = ["unknown gift card"]
        expires = self.details.get("expires")
        if expires is not None and expires < now().date():
            errors["code"] = ["gift card has expired"]
        return errors

    def token(self):
        return f"tok_gift_{stable_hash(self.details.get('code'))}"

    def label(self):
        return f"Gift card ...{self.details.get('code', '')[-4:]}"

    def covers(self, amount):
        return self.details.get("balance", Money.zero(amount.currency)) >= amount
