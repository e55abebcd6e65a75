class JsonMixin:
    def to_dict(self):
        return dict(vars(self))

    def describe(self):
        return "json"


class AuditMixin:
    def describe(self):
        return "audited"

    def touch(self, user):
        self.modified_by = user


class Model:
    def __init__(self, pk):
        self.pk = pk


class Invoice(AuditMixin, JsonMixin, Model):
    def __init__(self, pk, amount):
        Model.__init__(self, pk)
        self.amount = amount


invoice = Invoice(17, 250.0)
invoice.touch("billing-bot")
invoice.describe()
invoice.to_dict()
