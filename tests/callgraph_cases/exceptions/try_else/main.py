class Transaction:
    def __init__(self):
        self.state = "open"

    def commit(self):
        self.state = "committed"

    def rollback(self):
        self.state = "rolled back"


def apply_transfer(balance, amount):
    if amount > balance:
        raise ArithmeticError("insufficient funds")
    return balance - amount


def transfer(balance, amount):
    tx = Transaction()
    try:
        remaining = apply_transfer(balance, amount)
    except ArithmeticError:
        tx.rollback()
    else:
        tx.commit()
        return remaining
    return balance


balances = [transfer(100, 30), transfer(10, 30)]
