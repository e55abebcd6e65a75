normalize = lambda s: s.strip().lower()  # noqa: E731
is_blank = lambda s: not normalize(s)  # noqa: E731


def clean_tags(raw_tags):
    return [normalize(t) for t in raw_tags if not is_blank(t)]


clean_tags(["  Python", "API ", "   "])
