class EmailSender:
    def __init__(self, host):
        self.host = host

    def send(self, to, text):
        return f"mail via {self.host} to {to}: {text}"


class SmsSender:
    def send(self, to, text):
        return f"sms to {to}: {text[:160]}"


def build_senders():
    return {"email": EmailSender("smtp.local"), "sms": SmsSender()}


class Notifier:
    def __init__(self, senders):
        self.senders = senders

    def notify(self, channel, to, text):
        sender = self.senders[channel]
        return sender.send(to, text)


notifier = Notifier(build_senders())
sent = [notifier.notify("email", "ada@example.com", "hi"), notifier.notify("sms", "+1", "hi")]
