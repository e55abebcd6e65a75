from . import payments


def checkout(cart):
    amount = cart.total()
    return payments.charge(cart.owner, amount)
