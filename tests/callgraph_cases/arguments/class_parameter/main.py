class EmailNotifier:
    def __init__(self, sender):
        self.sender = sender

    def send(self, to, text):
        return (self.sender, to, text)


class SmsNotifier:
    def __init__(self, sender):
        self.sender = sender

    def send(self, to, text):
        return (self.sender, to, text[:160])


def build(notifier_cls, *args):
    return notifier_cls(*args)


def alert(notifier_cls, to):
    notifier = build(notifier_cls, "alerts@example.com")
    return notifier.send(to, "disk almost full")


alert(SmsNotifier, "+4915100000")
