class FileLock:
    def __init__(self, path):
        self.path = path

    def __enter__(self):
        return self.path + ".lock"

    def __exit__(self, exc_type, exc, tb):
        return None


class Timer:
    def __enter__(self):
        self.elapsed = 0
        return self

    def __exit__(self, exc_type, exc, tb):
        self.elapsed = 1

    def lap(self):
        return self.elapsed


def write_snapshot(data):
    with FileLock("/var/lib/app/state") as lock_name, Timer() as timer:
        with FileLock("/var/lib/app/journal"):
            timer.lap()
        return lock_name, sorted(data)


write_snapshot({"b": 2, "a": 1})
