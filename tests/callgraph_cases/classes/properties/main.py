class Account:
    def __init__(self, owner):
        self.owner = owner
        self._balance = 0.0

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        self._balance = round(value, 2)

    @property
    def summary(self):
        return f"{self.owner}: {self.balance}"

    def deposit(self, amount):
        self.balance = self.balance + amount


account = Account("ada")
account.deposit(10.005)
account.balance = 3.14159
line = account.summary
