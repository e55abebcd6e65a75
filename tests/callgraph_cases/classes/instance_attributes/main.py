class Database:
    def __init__(self, url):
        self.url = url
        self.rows = {}

    def insert(self, table, row):
        self.rows.setdefault(table, []).append(row)
        return len(self.rows[table])


class UserRepository:
    def __init__(self, db):
        self.db = db

    def add(self, user):
        return self.db.insert("users", user)


class Mailer:
    def send_welcome(self, email):
        return "welcome " + email


class SignupService:
    def __init__(self, url):
        self.repo = UserRepository(Database(url))
        self.mailer = Mailer()

    def register(self, email):
        user_id = self.repo.add({"email": email})
        self.mailer.send_welcome(email)
        return user_id


service = SignupService("sqlite://")
new_id = service.register("ada@example.com")
