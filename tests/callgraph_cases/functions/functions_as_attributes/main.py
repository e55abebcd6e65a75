def format_money(invoice, amount):
    return f"{amount:.2f} {invoice.currency}"


def notify_accounting(invoice):
    return "paid " + invoice.number


def retry_twice():
    return 2


class Invoice:
    formatter = format_money

    def __init__(self, number, on_paid):
        self.number = number
        self.currency = "EUR"
        self.on_paid = on_paid

    def render(self, amount):
        return self.number + ": " + self.formatter(amount)

    def pay(self):
        return self.on_paid(self)


def send_reminder(invoice):
    return "reminder " + invoice.number


send_reminder.retries = retry_twice

invoice = Invoice("INV-1", notify_accounting)
text = invoice.render(12.5)
receipt = invoice.pay()
attempts = send_reminder.retries()
reminder = send_reminder(invoice)
