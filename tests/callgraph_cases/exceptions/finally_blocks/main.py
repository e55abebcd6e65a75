class Connection:
    def __init__(self, dsn):
        self.dsn = dsn
        self.open = True

    def execute(self, sql):
        if "DROP" in sql.upper():
            raise PermissionError("refused: " + sql)
        return [sql]

    def close(self):
        self.open = False


def run_query(dsn, sql):
    conn = Connection(dsn)
    try:
        return conn.execute(sql)
    finally:
        conn.close()


def safe_run(dsn, sql):
    try:
        return run_query(dsn, sql)
    except PermissionError as denied:
        return str(denied)
    finally:
        print("query done")


results = [safe_run("sqlite://", "SELECT 1"), safe_run("sqlite://", "drop table users")]
