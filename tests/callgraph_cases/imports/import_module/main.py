import mailer

receipt = mailer.send_welcome("ada@example.com", "Ada")
sent = [receipt]
