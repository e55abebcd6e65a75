class NameFormatter:
    def format(self, user):
        return user.name.title()


class User:
    def __init__(self, name, email):
        self.name = name
        self.email = email

    def display(self):
        return self._label() + " <" + self.email + ">"

    def _label(self):
        return NameFormatter().format(self)


user = User("ada lovelace", "ada@example.com")
text = user.display()
