import mailer


def onboard(users):
    return [mailer.send_welcome(email, name) for email, name in users]


receipts = onboard([("ada@example.com", "Ada"), ("grace@example.com", "Grace")])
