class Handler:
    def __init__(self, route):
        self.route = route

    def handle(self, request):
        return self.process(request)


def process_health(self, request):
    return {"route": self.route, "status": "ok"}


def make_handler(name, bases, impl):
    return type(name, bases, {"process": impl})


OUTPUT_FORMAT = "renderers"
renderers = __import__(OUTPUT_FORMAT)
HealthHandler = make_handler("HealthHandler", (Handler,), process_health)
response = HealthHandler("/health").handle({})
renderers.to_json(response)
