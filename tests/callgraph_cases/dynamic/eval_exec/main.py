def compute_discount(total):
    return total * 0.1


def send_receipt(total):
    return f"receipt for {total}"


RULES = {"discount": "compute_discount(total)", "after_checkout": "send_receipt(total)"}


def apply_rules(total):
    discount = eval(RULES["discount"], globals(), {"total": total})
    exec(RULES["after_checkout"], globals(), {"total": total - discount})
    return total - discount


apply_rules(80.0)
