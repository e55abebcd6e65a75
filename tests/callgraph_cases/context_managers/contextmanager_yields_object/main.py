from contextlib import contextmanager


class Session:
    def __init__(self, user):
        self.user = user
        self.closed = False

    def fetch(self, resource):
        return {"user": self.user, "resource": resource}

    def close(self):
        self.closed = True


@contextmanager
def open_session(user):
    session = Session(user)
    try:
        yield session
    finally:
        session.close()


def load_dashboard(user):
    with open_session(user) as session:
        return session.fetch("/dashboard")


load_dashboard("ada")
