class TempFileCleaner:
    def __init__(self, directory):
        self.directory = directory

    def run(self):
        return [self.directory + "/" + name for name in ("a.tmp", "b.tmp")]


class Scheduler:
    def __init__(self):
        self.jobs = []

    def schedule(self, *, job, every):
        self.jobs.append((every, job))

    def tick(self):
        return [job() for _, job in self.jobs]


cleaner = TempFileCleaner("/tmp/app")
scheduler = Scheduler()
scheduler.schedule(every=60, job=cleaner.run)
scheduler.tick()
