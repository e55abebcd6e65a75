"""Where a service starts: the web apps, workers and command lines the code defines.

Found from the facts, never by running anything:

- `asgi` / `wsgi`: a module-level name bound to a web framework's application object
  (`app = FastAPI()`, `app = Flask(__name__)`, `application = get_wsgi_application()`);
- `celery`: a Celery application (`celery = Celery("shop")`), run as a worker;
- `cli`: a Typer application or a function decorated with `click.command`/`click.group`;
- `main`: a package's `__main__` module (`python -m package`).

The callee of each call is resolved through the module's imports (analyzer.signals.code_index),
so `from fastapi import FastAPI as API; api = API()` is found and a local class named `Flask`
is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.signals.code_index import CodeIndex, expression_path

#: Callee import path -> the kind of entry point its result is.
APPLICATION_FACTORIES = {
    "fastapi.FastAPI": "asgi",
    "fastapi.applications.FastAPI": "asgi",
    "starlette.applications.Starlette": "asgi",
    "django.core.asgi.get_asgi_application": "asgi",
    "quart.Quart": "asgi",
    "litestar.Litestar": "asgi",
    "sanic.Sanic": "asgi",
    "flask.Flask": "wsgi",
    "flask.app.Flask": "wsgi",
    "django.core.wsgi.get_wsgi_application": "wsgi",
    "falcon.App": "wsgi",
    "falcon.API": "wsgi",
    "bottle.Bottle": "wsgi",
    "celery.Celery": "celery",
    "celery.app.base.Celery": "celery",
    "typer.Typer": "cli",
}
CLI_DECORATORS = frozenset({"click.command", "click.group"})
#: Kinds in the order a service's main process is chosen.
KINDS = ("asgi", "wsgi", "celery", "cli", "main")


@dataclass(frozen=True, order=True)
class EntryPoint:
    """`kind` and where: `module:attribute` (`shop.web:app`), or a module for `main`."""

    kind: str
    module: str
    attribute: str | None = None

    @property
    def target(self) -> str:
        return f"{self.module}:{self.attribute}" if self.attribute else self.module

    def __str__(self) -> str:
        return f"{self.kind} {self.target}"

    @classmethod
    def parse(cls, text: str) -> EntryPoint | None:
        """`"wsgi shop.web:app"` -> EntryPoint; None when it is not of that form."""
        kind, _, target = text.strip().partition(" ")
        module, _, attribute = target.partition(":")
        parts = module.split(".")
        if kind not in KINDS or not module or not all(p.isidentifier() for p in parts):
            return None
        if attribute and not attribute.isidentifier():
            return None
        return cls(kind, module, attribute or None)


def rank(entry: EntryPoint) -> tuple[int, str, str]:
    return (KINDS.index(entry.kind), entry.module, entry.attribute or "")


def find_entry_points(code: CodeIndex) -> tuple[EntryPoint, ...]:
    """Every entry point of the project, best first (see KINDS), then by module."""
    found: set[EntryPoint] = set()
    for module in code.modules:
        if module == "__main__" or module.endswith(".__main__"):
            found.add(EntryPoint("main", module.rpartition(".")[0] or module))
        for call in code.calls(module):
            kind = APPLICATION_FACTORIES.get(call.path or "")
            if kind and call.scope == "" and call.binds and call.binds.isidentifier():
                found.add(EntryPoint(kind, module, call.binds))
        flow = code.facts[module].flow
        if flow is None:
            continue
        for scope in flow.scopes:
            if scope.kind != "function" or scope.parent != "" or "." in scope.qualname:
                continue
            for decorator in scope.decorators:
                if decorator and decorator[0] == "c" and decorator[1] < len(flow.calls):
                    parts = expression_path(flow.calls[decorator[1]].func)
                else:
                    parts = expression_path(decorator)
                path = code.resolve_path(module, parts) if parts else ""
                if path in CLI_DECORATORS and scope.qualname.isidentifier():
                    found.add(EntryPoint("cli", module, scope.qualname))
    return tuple(sorted(found, key=rank))
