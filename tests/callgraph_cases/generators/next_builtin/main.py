def id_sequence(prefix):
    number = 0
    while True:
        number += 1
        yield f"{prefix}-{number}"


class Countdown:
    def __init__(self, start):
        self.remaining = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.remaining == 0:
            raise StopIteration()
        self.remaining -= 1
        return self.remaining


ids = id_sequence("order")
first_id = next(ids)
second_id = next(ids)
first_admin = next(iter(["ada", "alan"]), None)
nobody = next(iter([]), "nobody")
timer = Countdown(2)
ticks = [next(timer), next(timer)]
done = next(timer, "done")
