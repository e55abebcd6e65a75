class Registry:
    def __init__(self):
        self.handlers = {}

    def register(self, name, handler):
        self.handlers[name] = handler

    def dispatch(self, name, *args):
        return self.handlers[name](*args)


class Api:
    registry = Registry()

    def __init__(self):
        self.registry.register("ping", self.ping)
        self.registry.register("echo", self.echo)

    def ping(self):
        return "pong"

    def echo(self, text):
        return text


api = Api()
pong = Api.registry.dispatch("ping")
echoed = api.registry.dispatch("echo", "hello")
