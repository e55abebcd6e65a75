def audit(entity):
    return ("audit", entity["id"])


def purge_cache(entity):
    return ("purge", entity["id"])


class Repository:
    def __init__(self, on_save, on_delete):
        self.on_save = on_save
        self.on_delete = on_delete
        self.rows = {}

    def save(self, entity):
        self.rows[entity["id"]] = entity
        self.on_save(entity)


hooks = {"on_save": audit, "on_delete": purge_cache}
repo = Repository(**hooks)
repo.save({"id": 7, "title": "draft"})
