class CountCalls:
    def __init__(self, func):
        self.func = func
        self.count = 0

    def __call__(self, *args):
        self.count += 1
        return self.func(*args)


@CountCalls
def send_message(recipient, text):
    return f"to {recipient}: {text}"


send_message("ada", "hello")
send_message("alan", "hi")
sent = send_message.count
