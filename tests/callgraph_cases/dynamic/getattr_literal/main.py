class Worker:
    def __init__(self, name):
        self.name = name
        self.state = "idle"

    def start(self):
        self.state = "running"
        return self

    def describe(self):
        return f"{self.name}: {self.state}"


worker = Worker("mailer")
getattr(worker, "start")()  # noqa: B009
summary = getattr(worker, "describe")  # noqa: B009
summary()
