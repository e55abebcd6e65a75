class Slugify:
    def __init__(self, separator="-"):
        self.separator = separator

    def __call__(self, title):
        return self.separator.join(title.lower().split())


class ListSink:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)


def process(items, transform, sink):
    for item in items:
        sink(transform(item))


sink = ListSink()
process(["Hello World", "Release Notes 2.0"], Slugify(), sink.push)
