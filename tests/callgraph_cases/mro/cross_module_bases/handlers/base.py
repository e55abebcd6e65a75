class Handler:
    content_type = "text/plain"

    def __init__(self, route):
        self.route = route

    def handle(self, body):
        parsed = self.parse(body)
        return self.respond(parsed)

    def parse(self, body):
        return body

    def respond(self, parsed):
        return {"route": self.route, "type": self.content_type, "body": parsed}
