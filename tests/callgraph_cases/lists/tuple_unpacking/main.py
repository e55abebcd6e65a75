def read_config(path):
    return {"path": path}


def write_config(path, data):
    return (path, data)


def migrate_v1(data):
    return data


def migrate_v2(data):
    return data


def migrate_v3(data):
    return data


load, save = (read_config, write_config)
config = load("app.toml")
first, *rest = [migrate_v1, migrate_v2, migrate_v3]
for migration in rest:
    config = migration(config)
save("app.toml", config)
