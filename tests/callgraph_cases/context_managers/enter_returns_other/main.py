class Connection:
    def __init__(self, dsn):
        self.dsn = dsn

    def query(self, sql):
        return [(sql, self.dsn)]

    def close(self):
        self.dsn = None


class ConnectionPool:
    def __init__(self, dsn, size=2):
        self.dsn = dsn
        self.size = size
        self.active = None

    def __enter__(self):
        self.active = Connection(self.dsn)
        return self.active

    def __exit__(self, exc_type, exc, tb):
        self.active.close()


pool = ConnectionPool("postgresql://db/shop")
with pool as conn:
    conn.query("SELECT count(*) FROM orders")
