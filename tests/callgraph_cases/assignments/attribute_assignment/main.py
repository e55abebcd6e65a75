class SqlRepository:
    def save(self, record):
        return record["id"]


class AuditLog:
    def __init__(self):
        self.entries = []

    def write(self, event):
        self.entries.append(event)


class OrderService:
    repository = None
    audit = None

    def place(self, order):
        order_id = self.repository.save(order)
        self.audit.write(f"placed {order_id}")
        return order_id


service = OrderService()
service.repository = SqlRepository()
service.audit = AuditLog()
service.place({"id": 7})
