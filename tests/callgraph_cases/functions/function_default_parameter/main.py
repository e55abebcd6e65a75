import json


def parse_json(text):
    return json.loads(text)


def parse_pairs(text):
    return dict(pair.split("=") for pair in text.split(";"))


def fetch(body, parser=parse_json):
    return parser(body)


def load_all(bodies, parser=None):
    parser = parser or parse_pairs
    return [fetch(body, parser) for body in bodies]


config = fetch('{"debug": true}')
pairs = load_all(["a=1;b=2"])
explicit = fetch("x=1", parser=parse_pairs)
