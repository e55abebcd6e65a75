USERS = [
    {"email": "Ada@Example.com", "active": True},
    {"email": "alan@example.com", "active": False},
    {"email": "Grace@Example.com", "active": True},
]


def is_active(user):
    return user["active"]


def to_email(user):
    return user["email"].lower()


def domain_of(email):
    return email.split("@")[1]


def active_emails(users):
    return list(map(to_email, filter(is_active, users)))


emails = active_emails(USERS)
domains = set(map(domain_of, emails))
