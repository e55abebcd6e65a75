class Service:
    def setup(self, log):
        log.append("service")


class CachedService(Service):
    def setup(self, log):
        log.append("cache")
        super().setup(log)


class MeteredService(Service):
    def setup(self, log):
        log.append("metrics")
        super().setup(log)


class ApiService(CachedService, MeteredService):
    def setup(self, log):
        log.append("api")
        super().setup(log)


steps = []
ApiService().setup(steps)
