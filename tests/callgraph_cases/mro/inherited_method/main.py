class Repository:
    def __init__(self, table):
        self.table = table
        self.rows = {}

    def add(self, key, row):
        self.rows[key] = row

    def get(self, key):
        return self.rows.get(key)


class UserRepository(Repository):
    def by_email(self, email):
        return [row for row in self.rows.values() if row["email"] == email]


users = UserRepository("users")
users.add(1, {"email": "ada@example.com"})
users.get(1)
users.by_email("ada@example.com")
