def validate(order):
    return order


def normalize(order):
    return order


def persist(order):
    return order


def notify(order):
    return order


STAGES = [[validate, normalize], [persist], [notify]]


def process(order, stages):
    for group in stages[:-1]:
        for stage in group:
            order = stage(order)
    return order


process({"id": 9}, STAGES)
STAGES[2][0]({"id": 9})
