class Model:
    registry = []

    def __init__(self, **fields):
        self.fields = fields

    @classmethod
    def create(cls, **fields):
        instance = cls(**fields)
        cls.register(instance)
        return instance

    @classmethod
    def register(cls, instance):
        cls.registry.append(instance)


class User(Model):
    def __init__(self, **fields):
        fields.setdefault("active", True)
        super().__init__(**fields)


class Product(Model):
    pass


User.create(name="ada")
Product.create(sku="X-1")
