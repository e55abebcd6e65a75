RAW = "id,name\n1,ada\n2,alan\n"
HANDLED = []


def parse_records(text):
    header, *lines = text.strip().splitlines()
    keys = header.split(",")
    for line in lines:
        yield dict(zip(keys, line.split(","), strict=True))


def open_stream():
    return parse_records(RAW)


def handle(record):
    HANDLED.append(record["name"])


def consume(stream):
    for record in stream:
        handle(record)


consume(open_stream())
