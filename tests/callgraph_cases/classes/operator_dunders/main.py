class Money:
    def __init__(self, cents, currency="EUR"):
        self.cents = cents
        self.currency = currency

    def __add__(self, other):
        return Money(self.cents + other.cents, self.currency)

    def __eq__(self, other):
        return (self.cents, self.currency) == (other.cents, other.currency)


class Cart:
    def __init__(self):
        self.items = []

    def add(self, name, price):
        self.items.append((name, price))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __contains__(self, name):
        return any(item_name == name for item_name, _ in self.items)

    def total(self):
        result = Money(0)
        for _, price in self.items:
            result = result + price
        return result


cart = Cart()
cart.add("apple", Money(150))
cart.add("pear", Money(200))
size = len(cart)
first_name, first_price = cart[0]
has_pear = "pear" in cart
matches = cart.total() == Money(350)
