class Transaction:
    def __init__(self, db):
        self.db = db
        self.pending = []

    def __enter__(self):
        self.db.append("BEGIN")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.db.extend(self.pending)
        self.db.append("COMMIT" if exc_type is None else "ROLLBACK")
        return False

    def insert(self, table, row):
        self.pending.append(f"INSERT INTO {table} VALUES {row}")


journal = []
with Transaction(journal) as tx:
    tx.insert("orders", (1, "ada"))
    tx.insert("orders", (2, "linus"))
