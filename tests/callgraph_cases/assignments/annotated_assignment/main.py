class Clock:
    def now(self) -> float:
        return 1700000000.0


class Scheduler:
    clock: Clock

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.jobs: list[str] = []

    def schedule(self, name: str) -> float:
        self.jobs.append(name)
        when: float = self.clock.now()
        return when


def default_job_name() -> str:
    return "nightly-backup"


name: str = default_job_name()
scheduler: Scheduler = Scheduler(Clock())
run_at: float = scheduler.schedule(name)
pending: int
