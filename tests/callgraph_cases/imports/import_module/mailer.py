TEMPLATES = {
    "welcome": "Hello {name}, welcome aboard!",
    "reset": "Hi {name}, use this link to reset your password.",
}


def _render(kind, name):
    template = TEMPLATES[kind]
    return template.format(name=name)


def send_welcome(address, name):
    body = _render("welcome", name)
    return deliver(address, body)


def deliver(address, body):
    return {"to": address, "body": body.strip()}
