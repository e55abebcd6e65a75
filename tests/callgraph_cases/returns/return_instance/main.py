class Connection:
    def __init__(self, dsn):
        self.dsn = dsn
        self.log = []

    def execute(self, sql, *params):
        self.log.append((sql, params))
        return len(self.log)


def connect(host, database):
    dsn = f"postgresql://{host}/{database}"
    return Connection(dsn)


def get_connection():
    conn = connect("db.internal", "shop")
    return conn


get_connection().execute("SELECT * FROM orders WHERE id = %s", 42)
