class CsvExporter:
    def export(self, rows):
        return "\n".join(",".join(str(cell) for cell in row) for row in rows)


class JsonExporter:
    def __init__(self, indent=2):
        self.indent = indent

    def export(self, rows):
        return {"rows": rows, "indent": self.indent}


class XmlExporter:
    def export(self, rows):
        return "<rows/>"


EXPORTER_CLASSES = (CsvExporter, JsonExporter)


def export_all(rows):
    exporters = [cls() for cls in EXPORTER_CLASSES]
    return [exporter.export(rows) for exporter in exporters]


export_all([(1, "a"), (2, "b")])
