import os.path

ROOT = "/var/lib/app"


def object_path(bucket, key):
    return os.path.join(ROOT, bucket, key)


def save(bucket, key, payload):
    path = object_path(bucket, key)
    return {"path": path, "size": len(payload)}
