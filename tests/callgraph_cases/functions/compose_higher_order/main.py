def strip(text):
    return text.strip()


def lower(text):
    return text.lower()


def hyphenate(text):
    return "-".join(text.split())


def compose(*steps):
    def pipeline(value):
        for step in steps:
            value = step(value)
        return value

    return pipeline


def apply_all(func, values):
    return [func(value) for value in values]


slugify = compose(strip, lower, hyphenate)
slugs = apply_all(slugify, ["  Hello World ", "Call Graphs"])
