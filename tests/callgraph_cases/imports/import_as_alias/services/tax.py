RATES = {"DE": 0.19, "FR": 0.2}


def compute_tax(amount, country):
    return round(amount * RATES[country], 2)
