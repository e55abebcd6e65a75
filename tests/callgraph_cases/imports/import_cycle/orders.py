import customers


def place_order(customer_id, amount):
    customer = customers.get_customer(customer_id)
    return {"customer": customer["name"], "amount": amount}


def orders_for(customer_id):
    return [o for o in HISTORY if o[0] == customer_id]


HISTORY = [(1, 30.0), (2, 12.0), (1, 7.5)]
