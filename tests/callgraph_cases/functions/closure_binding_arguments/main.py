def bind(func, first):
    def bound(*rest):
        return func(first, *rest)

    return bound


def send(channel, recipient, text):
    return f"[{channel}] {recipient}: {text}"


def log(level, message):
    return level.upper() + " " + message


class Alerts:
    def __init__(self):
        self.email = bind(send, "email")
        self.error = bind(log, "error")

    def fire(self, who, what):
        self.error(what)
        return self.email(who, what)


alerts = Alerts()
sent = alerts.fire("oncall@example.com", "disk full")
sms = bind(send, "sms")("+1", "hi")
