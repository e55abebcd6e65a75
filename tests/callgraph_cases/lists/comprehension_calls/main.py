def parse_line(line):
    key, _, value = line.partition("=")
    return key.strip(), value.strip()


def is_setting(line):
    return "=" in line


def warm_cache():
    return "cache"


def open_pool():
    return "pool"


def load_settings(text):
    pairs = [parse_line(line) for line in text.splitlines() if is_setting(line)]
    return {key: value for key, value in pairs}


STARTUP_HOOKS = (warm_cache, open_pool)
settings = load_settings("debug = true\n\nworkers = 4")
started = {hook.__name__: hook() for hook in STARTUP_HOOKS}
