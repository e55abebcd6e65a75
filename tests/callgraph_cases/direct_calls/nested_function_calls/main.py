def build_report(rows):
    def clean(row):
        return {key: value.strip() for key, value in row.items()}

    def format_row(row):
        return " | ".join(row.values())

    def render():
        return "\n".join(format_row(clean(row)) for row in rows)

    header = format_row({"name": "NAME", "city": "CITY"})
    return header + "\n" + render()


report = build_report([{"name": " ada ", "city": "london "}])
