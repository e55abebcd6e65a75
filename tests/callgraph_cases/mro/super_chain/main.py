class Model:
    def __init__(self, **fields):
        self.fields = dict(fields)
        self.saved = False

    def save(self):
        self.saved = True
        return self


class TimestampedModel(Model):
    def __init__(self, **fields):
        super().__init__(**fields)
        self.fields.setdefault("created_at", 0)

    def save(self):
        self.fields["updated_at"] = 1
        return super().save()


class Article(TimestampedModel):
    def __init__(self, title, **fields):
        super().__init__(title=title, **fields)

    def save(self):
        self.fields["slug"] = self.fields["title"].lower().replace(" ", "-")
        return super().save()


Article("Hello World", author="ada").save()
