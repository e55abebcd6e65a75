class Line:
    def __init__(self, text):
        self.text = text

    def words(self):
        return self.text.split()


class Document:
    def __init__(self, text):
        self.text = text

    def __iter__(self):
        for raw in self.text.splitlines():
            if raw.strip():
                yield Line(raw)


def word_count(document):
    return sum(len(line.words()) for line in document)


doc = Document("first line\n\nsecond line here\n")
count = word_count(doc)
titles = [line.text.title() for line in doc]
