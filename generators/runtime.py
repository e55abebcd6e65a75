"""What every generated container agrees on, whichever artifact describes it.

The Dockerfile, the Compose file and the Kubernetes manifests each restate these facts (the user
the process runs as, the health endpoints, the health-check command, the environment it reads);
keeping them here keeps the three in step.
"""

from __future__ import annotations

APP_UID = 10001
APP_GID = 10001
APP_DIR = "/app"
SOURCE_DIR = "/app/src"
ENTRYPOINT = "service_main.py"

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
PORT_ENV = "PORT"
PORT_NAME = "http"

HEALTH_INTERVAL_S = 30
HEALTH_TIMEOUT_S = 3
HEALTH_START_PERIOD_S = 5
HEALTH_RETRIES = 3


def health_probe_code(port: int) -> str:
    """Stdlib-only Python that exits non-zero unless GET /healthz on this container answers 2xx."""
    return (
        "import os, urllib.request; "
        f"urllib.request.urlopen('http://127.0.0.1:%s{HEALTH_PATH}' "
        f"% os.environ.get('{PORT_ENV}', '{int(port)}'), timeout=2)"
    )


def health_command(port: int) -> list[str]:
    """The health check as an exec-form argument list (no shell)."""
    return ["python", "-c", health_probe_code(port)]


def entry_command(entry: str, port: int) -> list[str] | None:
    """The usual command that runs an entry point of the plan (`wsgi shop.web:app` ->
    gunicorn on the service's port); None for a text that is not an entry point."""
    kind, _, target = entry.partition(" ")
    if kind == "asgi":
        return ["uvicorn", target, "--host", "0.0.0.0", "--port", str(int(port))]
    if kind == "wsgi":
        return ["gunicorn", "--bind", f"0.0.0.0:{int(port)}", target]
    if kind == "celery":
        return ["celery", "--app", target, "worker", "--loglevel", "INFO"]
    if kind == "cli":
        module, _, function = target.partition(":")
        code = f"from {module} import {function}; {function}()" if function else ""
        return ["python", "-c", code] if code else ["python", "-m", module]
    if kind == "main":
        return ["python", "-m", target]
    return None


def peer_env_name(ident: str) -> str:
    """Environment variable holding a peer's base URL: `order-api` -> `ORDER_API_URL`."""
    return ident.upper().replace("-", "_") + "_URL"
