class S3Backend:
    def __init__(self, bucket):
        self.bucket = bucket

    def upload(self, key):
        return f"s3://{self.bucket}/{key}"


class LocalBackend:
    def __init__(self, root):
        self.root = root

    def upload(self, key):
        return self.root + "/" + key


CONFIG = {
    "storage": {
        "default": "local",
        "backends": {"s3": S3Backend, "local": LocalBackend},
        "options": {"s3": "media", "local": "/tmp/media"},
    }
}


def make_backend(name=None):
    storage = CONFIG["storage"]
    name = name or storage["default"]
    backend_class = storage["backends"][name]
    return backend_class(storage["options"][name])


urls = [make_backend().upload("a.png"), make_backend("s3").upload("b.png")]
