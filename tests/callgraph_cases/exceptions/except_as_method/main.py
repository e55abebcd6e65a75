LOG = []


class PaymentDeclined(Exception):
    def __init__(self, order_id, reason):
        self.order_id = order_id
        self.reason = reason

    def log(self):
        LOG.append(f"declined {self.order_id}: {self.reason}")

    def to_response(self):
        return {"status": 402, "detail": self.reason}


class Gateway:
    def charge(self, order_id, amount):
        if amount > 100:
            raise PaymentDeclined(order_id, "limit exceeded")
        return {"status": 200}


def pay(gateway, order_id, amount):
    try:
        return gateway.charge(order_id, amount)
    except PaymentDeclined as declined:
        declined.log()
        return declined.to_response()


responses = [pay(Gateway(), "A1", 20), pay(Gateway(), "A2", 500)]
