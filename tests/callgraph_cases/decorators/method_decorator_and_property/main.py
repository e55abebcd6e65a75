def memoize(method):
    def wrapper(self):
        key = method.__name__
        if key not in self.cache:
            self.cache[key] = method(self)
        return self.cache[key]

    return wrapper


class Report:
    def __init__(self, rows):
        self.rows = rows
        self.cache = {}

    @property
    def total(self):
        return sum(self.rows)

    @memoize
    def summary(self):
        return f"{len(self.rows)} rows, total {self.total}"


report = Report([3, 4, 5])
first = report.summary()
second = report.summary()
grand_total = report.total
