"""Framework wiring: references between modules that import statements do not show.

Frameworks tie code together through strings and registries: `ForeignKey("catalogue.Product")`,
`include("shop.orders.urls")`, `get_class("catalogue.models", "Product")`,
`send_task("orders.tasks.ship")`, signal receivers. Each kind is found by a *recognizer*: a
class with a `name` and a `find(context)` method, registered with `@recognizer`. The built-in
ones live in `analyzer/signals/frameworks/`, one file per framework; a new framework is one new
file there (every module of that package is loaded).

Recognizers read facts only (calls with their literal arguments, string literals, classes):
nothing is imported or executed.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.signals.code_index import CodeIndex
from analyzer.signals.models import ModelCatalog


@dataclass(frozen=True, order=True)
class WiringLink:
    """`source` (a module) refers to `target` (a resolved dotted path of a module, or of a
    class or function in `target_module`) at `line`, found by recognizer `kind`. `binds` is
    the module-level name the reference is assigned to (`Product = get_model(...)`)."""

    source: str
    target_module: str
    target: str
    kind: str
    line: int
    binds: str | None = None


@dataclass(frozen=True)
class WiringContext:
    """What recognizers read: the code index and the project's data models."""

    code: CodeIndex
    models: ModelCatalog

    def link(
        self, source: str, target: str, kind: str, line: int, binds: str | None = None
    ) -> WiringLink | None:
        """A link to `target` when it names something analyzed (None otherwise): a model of
        the catalog (a bare table too), a module, or a name defined in a module."""
        model = self.models.models.get(target)
        if model is not None:
            return WiringLink(source, model.module, target, kind, line, binds)
        module = self.code.module_of(target)
        if module is None or (target != module and self.code.resolve_dotted_string(target) is None):
            return None
        return WiringLink(source, module, target, kind, line, binds)


class Recognizer(ABC):
    """Finds one kind of framework wiring in the whole project."""

    #: e.g. "django.foreign_key"; shown in explanations and `analyze --signals`
    name: str = ""
    #: lower runs first; when two recognizers find the same reference, the first keeps it
    priority: int = 50

    @abstractmethod
    def find(self, context: WiringContext) -> Iterable[WiringLink]:
        """Every link of this kind in the project."""


_REGISTRY: dict[str, type[Recognizer]] = {}


def recognizer(cls: type[Recognizer]) -> type[Recognizer]:
    """Class decorator: make a recognizer part of every analysis."""
    if not cls.name:
        raise ValueError(f"recognizer {cls.__qualname__} has no name")
    _REGISTRY[cls.name] = cls
    return cls


def registered_recognizers() -> list[Recognizer]:
    """Every registered recognizer, built-in frameworks loaded, in run order."""
    from analyzer.signals import frameworks

    for info in sorted(pkgutil.iter_modules(frameworks.__path__), key=lambda i: i.name):
        importlib.import_module(f"{frameworks.__name__}.{info.name}")
    return [cls() for cls in sorted(_REGISTRY.values(), key=lambda c: (c.priority, c.name))]


def find_wiring(
    context: WiringContext, recognizers: Iterable[Recognizer] | None = None
) -> tuple[WiringLink, ...]:
    """All wiring links of the project, one per (source, target, line), sorted; a link from a
    module to itself is dropped."""
    kept: dict[tuple[str, str, int], WiringLink] = {}
    for found in recognizers if recognizers is not None else registered_recognizers():
        for link in found.find(context):
            if link.source == link.target_module:
                continue
            kept.setdefault((link.source, link.target, link.line), link)
    return tuple(sorted(kept.values()))
