class SmtpClient:
    def __init__(self, host):
        self.host = host
        self.outbox = []

    def send(self, to, body):
        raise ConnectionError(self.host)


def fake_send(self, to, body):
    self.outbox.append((to, body))


def record_metric(name):
    return name


class Signup:
    def __init__(self, mailer):
        self.mailer = mailer

    def complete(self, email):
        self.mailer.send(email, "Welcome!")
        self.on_complete("signup.completed")


SmtpClient.send = fake_send
signup = Signup(SmtpClient("smtp.example.com"))
setattr(signup, "on_complete", record_metric)  # noqa: B010
signup.complete("ada@example.com")
