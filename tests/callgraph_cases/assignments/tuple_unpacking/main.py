def parse_csv_row(text):
    return text.split(",")


def parse_lines(text):
    return text.splitlines()


def pick_parsers():
    return parse_lines, parse_csv_row


def load(raw):
    split_rows, split_fields = pick_parsers()
    header, *rows = split_rows(raw)
    columns = split_fields(header)
    return [dict(zip(columns, split_fields(row), strict=True)) for row in rows]


records = load("id,name\n1,ada\n2,alan")
(first, second) = records
