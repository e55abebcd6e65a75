def json_formatter(record):
    return '{"level": "' + record["level"] + '"}'


def text_formatter(record):
    return "level=" + record["level"]


def xml_formatter(record):
    return "<level>" + record["level"] + "</level>"


def emit(record):
    formatter = xml_formatter
    formatter = text_formatter
    return formatter(record)


formatter = json_formatter
first = formatter({"level": "info"})
formatter = text_formatter
second = formatter({"level": "warn"})
third = emit({"level": "error"})
