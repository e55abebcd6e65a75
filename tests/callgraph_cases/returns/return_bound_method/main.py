class ReportWriter:
    def __init__(self):
        self.lines = []

    def write_csv(self, row):
        self.lines.append(",".join(row))

    def write_markdown(self, row):
        self.lines.append("| " + " | ".join(row) + " |")


def writer_for(fmt):
    writer = ReportWriter()
    if fmt == "md":
        return writer.write_markdown
    return writer.write_csv


emit = writer_for("md")
emit(["region", "revenue"])
emit(["north", "1200"])
