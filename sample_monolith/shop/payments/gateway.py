"""Payment gateway clients.  FakeGateway behaves like the sandbox of our PSP:
card tokens ending in 0002 are declined, 0069 are 'expired', amounts over the
single-charge limit are refused."""
from dataclasses import dataclass

from ..core.db import get_setting
from ..core.errors import ExternalServiceError
from ..core.helpers import stable_hash
from ..core.money import Money

DECLINE_SUFFIXES = {"0002": "card_declined", "0069": "expired_card", "9995": "insufficient_funds"}


@dataclass
class GatewayResult:
    approved: bool
    reference: str = ""
    auth_code: str = ""
    reason: str = ""


class FakeGateway:
    name = "fake"

    def __init__(self):
        self.ledger = []          # (operation, reference, amount)
        self._authorized = {}     # reference -> Money
        self._captured = {}
        self._refunded = {}
        self._voided = set()
        self._idempotency = {}

    def reset(self):
        self.__init__()

    def authorize(self, token, amount, idempotency_key):
        if idempotency_key in self._idempotency:
            return self._idempotency[idempotency_key]
        reference = "GW-" + stable_hash("auth", idempotency_key, length=10)
        reason = ""
        card_tail = token.split("_")[2] if token.startswith("tok_card_") else ""
        limit = Money(get_setting("payments.single_charge_limit", "5000.00"), amount.currency)
        if card_tail in DECLINE_SUFFIXES:
            reason = DECLINE_SUFFIXES[card_tail]
        elif amount > limit:
            reason = "amount_limit_exceeded"
        elif not amount or amount.is_negative():
            reason = "invalid_amount"
        if reason:
            result = GatewayResult(approved=False, reference=reference, reason=reason)
        else:
            auth_code = str(int(stable_hash("code", reference, length=6), 16) % 1000000).zfill(6)
            self._authorized[reference] = amount
            result = GatewayResult(approved=True, reference=reference, auth_code=auth_code)
        self._idempotency[idempotency_key] = result
        self.ledger.append(("authorize", reference, amount if result.approved else Money.zero(amount.currency)))
        return result

    def capture(self, reference, amount):
        authorized = self._authorized.get(reference)
        if authorized is None or reference in self._voided:
            raise ExternalServiceError(f"no open authorisation {reference}")
        if amount > authorized:
            raise ExternalServiceError("capture exceeds authorised amount")
        if reference in self._captured:
            raise ExternalServiceError(f"{reference} already captured")
        self._captured[reference] = amount
        self.ledger.append(("capture", reference, amount))
        return GatewayResult(approved=True, reference=reference)

    def void(self, reference):
        if reference in self._captured:
            raise ExternalServiceError("cannot void a captured payment; refund it")
        self._voided.add(reference)
        self.ledger.append(("void", reference, Money.zero()))
        return GatewayResult(approved=True, reference=reference)

    def refund(self, reference, amount):
        captured = self._captured.get(reference)
        if captured is None:
            raise ExternalServiceError(f"{reference} was never captured")
        already = self._refunded.get(reference, Money.zero(amount.currency))
        if already + amount > captured:
            raise ExternalServiceError("refund exceeds captured amount")
        self._refunded[reference] = already + amount
        refund_ref = "RF-" + stable_hash(reference, len(self.ledger), length=10)
        self.ledger.append(("refund", reference, amount))
        return GatewayResult(approved=True, reference=refund_ref)

    def balance(self):
        captured = sum((m for m in self._captured.values()), Money.zero())
        refunded = sum((m for m in self._refunded.values()), Money.zero())
        return captured - refunded


class HttpGateway:
    """Production PSP client.  Only used when payments.gateway == 'http'."""

    name = "http"

    def __init__(self, base_url=None, api_key=""):
        self.base_url = base_url or get_setting("payments.gateway_url")
        self.api_key = api_key

    def _call(self, path, payload):
        import requests  # only production talks to the PSP

        try:
            response = requests.post(self.base_url + path, json=payload, timeout=15,
                                     auth=(self.api_key, ""))
        except requests.RequestException as exc:
            raise ExternalServiceError(f"gateway unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise ExternalServiceError(f"gateway error {response.status_code}")
        return response.json()

    def authorize(self, token, amount, idempotency_key):
        body = self._call("/authorizations", {"token": token, "amount": str(amount.amount),
                                              "currency": amount.currency, "key": idempotency_key})
        return GatewayResult(approved=body.get("status") == "approved", reference=body.get("id", ""),
                             auth_code=body.get("auth_code", ""), reason=body.get("decline_reason", ""))

    def capture(self, reference, amount):
        self._call(f"/authorizations/{reference}/capture", {"amount": str(amount.amount)})
        return GatewayResult(approved=True, reference=reference)

    def void(self, reference):
        self._call(f"/authorizations/{reference}/void", {})
        return GatewayResult(approved=True, reference=reference)

    def refund(self, reference, amount):
        body = self._call(f"/payments/{reference}/refunds", {"amount": str(amount.amount)})
        return GatewayResult(approved=True, reference=body.get("id", ""))


gateway = FakeGateway()


def get_gateway():
    if get_setting("payments.gateway", "fake") == "http":
        return HttpGateway()
    return gateway
