class UserRepository:
    def __init__(self):
        self.rows = {}

    def save(self, user):
        self.rows[user["email"]] = user

    def exists(self, email):
        return email in self.rows


class AuditedUserRepository(UserRepository):
    def save(self, user):
        user["audited"] = True
        super().save(user)


def register(email: str, repo: UserRepository) -> bool:
    if repo.exists(email):
        return False
    repo.save({"email": email.lower()})
    return True


register("Ada@Example.com", AuditedUserRepository())
