class Job:
    def run(self, payload):
        data = self.validate(payload)
        return self.step(data)

    def validate(self, payload):
        return dict(payload)

    def step(self, data):
        raise NotImplementedError


class ResizeImage(Job):
    def step(self, data):
        return (data["w"] // 2, data["h"] // 2)


class SendDigest(Job):
    def validate(self, payload):
        return {"to": payload["to"].lower()}

    def step(self, data):
        return "digest for " + data["to"]


for job, payload in [(ResizeImage(), {"w": 800, "h": 600}), (SendDigest(), {"to": "OPS@x.io"})]:
    job.run(payload)
