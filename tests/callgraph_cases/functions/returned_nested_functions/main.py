def get_serializer(fmt):
    def to_json(record):
        pairs = [f'"{key}": "{value}"' for key, value in record.items()]
        return "{" + ", ".join(pairs) + "}"

    def to_csv(record):
        return ",".join(str(value) for value in record.values())

    if fmt == "json":
        return to_json
    return to_csv


def export(records, fmt):
    serialize = get_serializer(fmt)
    return [serialize(record) for record in records]


rows = [{"id": 1, "name": "ada"}]
as_json = export(rows, "json")
as_csv = export(rows, "csv")
