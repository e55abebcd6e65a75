CALLS = []


def log_calls(func):
    def wrapper(*args, **kwargs):
        CALLS.append(func.__name__)
        return func(*args, **kwargs)

    return wrapper


@log_calls
def create_order(item, quantity):
    return {"item": item, "quantity": quantity, "cancelled": False}


@log_calls
def cancel_order(order):
    order["cancelled"] = True
    return order


order = create_order("book", 2)
cancel_order(order)
