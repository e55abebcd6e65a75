class MemoryStorage:
    def __init__(self):
        self.blobs = {}


class DiskStorage:
    def __init__(self, root):
        self.root = root


class Storage:
    def __new__(cls, url):
        if url.startswith("memory://"):
            return MemoryStorage()
        return DiskStorage(url.removeprefix("file://"))


cache = Storage("memory://")
archive = Storage("file:///var/data")
