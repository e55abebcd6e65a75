def register(registry):
    registry["csv"] = export


def export(rows):
    return "\n".join(",".join(row) for row in rows)
