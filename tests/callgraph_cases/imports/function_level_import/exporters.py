def to_rows(records):
    return [[r["id"], r["name"]] for r in records]
