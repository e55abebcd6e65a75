def load_defaults():
    return {"host": "localhost", "port": "5432"}


def build_dsn(cfg):
    return "postgresql://{host}:{port}".format(**cfg)


dsn = (lambda cfg: build_dsn(cfg))(load_defaults())
port = (lambda text, fallback: int(text) if text.isdigit() else fallback)("5432", 0)
