CLEANUPS = []


class ConfigError(Exception):
    def __init__(self, key):
        self.key = key


def read_setting(settings, key):
    return settings[key]


def rollback(key):
    CLEANUPS.append(key)


def load(settings, key):
    try:
        return read_setting(settings, key)
    except KeyError:
        rollback(key)
        raise


def load_config(settings, key):
    try:
        return load(settings, key)
    except KeyError as missing:
        raise ConfigError(key) from missing


try:
    load_config({"debug": "1"}, "debug")
    load_config({}, "database_url")
except ConfigError as error:
    problem = error.key
