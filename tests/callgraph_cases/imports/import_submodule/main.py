import storage.backends.local


def upload(name, data):
    return storage.backends.local.save("uploads", name, data)


upload("report.pdf", b"%PDF-1.7")
