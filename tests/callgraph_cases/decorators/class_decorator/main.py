import json

SERIALIZERS = {}


def serializer(cls):
    SERIALIZERS[cls.__name__.lower()] = cls
    return cls


@serializer
class JsonSerializer:
    def __init__(self, indent=2):
        self.indent = indent

    def dump(self, data):
        return json.dumps(data, indent=self.indent)


@serializer
class CsvSerializer:
    def __init__(self, delimiter=","):
        self.delimiter = delimiter

    def dump(self, data):
        return self.delimiter.join(str(value) for value in data.values())


as_json = JsonSerializer().dump({"id": 1})
as_csv = SERIALIZERS["csvserializer"]().dump({"id": 1, "name": "ada"})
