def compile_assets():
    return "assets"


def run_migrations():
    return "migrations"


def restart_workers():
    return "workers"


def deploy(*steps):
    return [step() for step in steps]


def deploy_with_restart(*steps):
    return deploy(*steps, restart_workers)


PRE_DEPLOY = [compile_assets, run_migrations]
deploy_with_restart(*PRE_DEPLOY)
