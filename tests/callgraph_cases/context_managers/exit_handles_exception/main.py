class UnitOfWork:
    def __init__(self):
        self.changes = []
        self.errors = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.rollback(exc)
            return True
        self.commit()
        return False

    def add(self, change):
        if change < 0:
            raise ValueError(f"negative change {change}")
        self.changes.append(change)

    def commit(self):
        return list(self.changes)

    def rollback(self, exc):
        self.errors.append(str(exc))
        self.changes.clear()


with UnitOfWork() as uow:
    uow.add(5)
    uow.add(-1)
