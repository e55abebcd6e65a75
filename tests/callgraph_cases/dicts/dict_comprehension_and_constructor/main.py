def to_json(rows):
    return "[" + ",".join(str(row) for row in rows) + "]"


def to_csv(rows):
    return "\n".join(",".join(str(value) for value in row) for row in rows)


def to_text(rows):
    return " ".join(str(len(row)) for row in rows)


EXPORTERS = {exporter.__name__[3:]: exporter for exporter in (to_json, to_csv)}
FALLBACKS = dict(text=to_text)


def export(rows, fmt):
    exporter = EXPORTERS[fmt] if fmt in EXPORTERS else FALLBACKS[fmt]
    return exporter(rows)


outputs = [export([(1, 2)], fmt) for fmt in ("json", "csv", "text")]
