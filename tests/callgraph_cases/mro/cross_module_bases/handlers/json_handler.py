import json

from .base import Handler


class JsonHandler(Handler):
    content_type = "application/json"

    def parse(self, body):
        return json.loads(body)
