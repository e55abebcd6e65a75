"""Dynamic imports with literal paths: `importlib.import_module("x.y")`, `import_string`,
class loaders (`get_class("catalogue.models", "Product")`), and dotted strings in settings
and registries that name analyzed code (`"shop.payments.gateways.Stripe"`)."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.signals.wiring import Recognizer, WiringContext, WiringLink, recognizer

IMPORTERS = frozenset({"import_module", "__import__", "import_string", "locate", "load_object"})
CLASS_LOADERS = frozenset(
    {"get_class", "get_classes", "load_class", "get_class_by_path", "import_class"}
)


@recognizer
class ImportModule(Recognizer):
    """`importlib.import_module("shop.plugins.csv")`, Django's `import_string("a.b.C")`."""

    name = "dynamic.import"
    priority = 15

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code = context.code
        for module in code.modules:
            for call in code.calls(module):
                if call.name not in IMPORTERS or not call.args or call.args[0] is None:
                    continue
                resolved = code.resolve_dotted_string(call.args[0]) or (
                    call.args[0] if call.args[0] in code.facts else None
                )
                if resolved and (
                    link := context.link(module, resolved, self.name, call.line, call.binds)
                ):
                    yield link


@recognizer
class ClassLoaders(Recognizer):
    """Loaders called with a module path relative to the project's apps and a class name:
    `get_class("catalogue.models", "Product")`, `get_classes("x.forms", ["A", "B"])`. The
    module is the analyzed module whose dotted name ends with the path (the shortest one)."""

    name = "dynamic.class_loader"
    priority = 15

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code = context.code
        for module in code.modules:
            for call in code.calls(module):
                if call.name not in CLASS_LOADERS or not call.args or call.args[0] is None:
                    continue
                target_module = code.module_by_suffix(call.args[0])
                if target_module is None:
                    continue
                names: list[str] = []
                if len(call.args) > 1:
                    if call.args[1] is not None:
                        names.append(call.args[1])
                    else:
                        expr = call.arg_exprs[1]
                        if expr and expr[0] == "L":
                            names.extend(e[2] for e in expr[3] if e and e[0] == "T" and len(e) > 2)
                if not names:
                    link = context.link(module, target_module, self.name, call.line)
                    if link:
                        yield link
                binds = (call.binds or "").split(",")
                for position, name in enumerate(names):
                    bound = binds[position] if len(binds) == len(names) else None
                    target = code.resolve_dotted_string(f"{target_module}.{name}") or (
                        target_module
                    )
                    link = context.link(module, target, self.name, call.line, bound or None)
                    if link:
                        yield link


@recognizer
class DottedStrings(Recognizer):
    """Any other string literal that names an analyzed module or something defined in one
    (settings such as `"shop.payments.gateways.Stripe"`, old-style URL view strings)."""

    name = "string_reference"
    priority = 90

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code = context.code
        for module in code.modules:
            seen: set[str] = set()
            for text, line in code.strings(module):
                if text in seen or "." not in text:
                    continue
                seen.add(text)
                resolved = code.resolve_dotted_string(text)
                if resolved and (link := context.link(module, resolved, self.name, line)):
                    yield link
