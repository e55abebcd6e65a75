def parse_value(tokens, pos):
    if tokens[pos] == "[":
        return parse_list(tokens, pos + 1)
    return int(tokens[pos]), pos + 1


def parse_list(tokens, pos):
    items = []
    while tokens[pos] != "]":
        value, pos = parse_value(tokens, pos)
        items.append(value)
        if tokens[pos] == ",":
            pos += 1
    return items, pos + 1


def tokenize(text):
    return [char for char in text if not char.isspace()]


def parse(text):
    value, _ = parse_value(tokenize(text), 0)
    return value


result = parse("[1, [2, 3], []]")
