"""Django: model references by string, `apps.get_model`, INSTALLED_APPS, URL `include`,
and signal receivers tied to the code that sends the signal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from analyzer.signals.code_index import CallView, expression_path, iter_strings
from analyzer.signals.wiring import Recognizer, WiringContext, WiringLink, recognizer

RELATION_FIELDS = frozenset(
    {
        "ForeignKey",
        "OneToOneField",
        "ManyToManyField",
        "ForeignObject",
        "ParentalKey",
        "ParentalManyToManyField",
        "GenericRelation",
    }
)


def _model_link(
    context: WiringContext, call: CallView, reference: str, kind: str, binds: str | None = None
) -> WiringLink | None:
    if reference == "self" or not reference.replace(".", "").replace("_", "").isalnum():
        return None
    model = context.models.by_label(reference, near=call.module)
    if model is None:
        return None
    return context.link(call.module, model.name, kind, call.line, binds)


@recognizer
class ModelStringReferences(Recognizer):
    """`ForeignKey("catalogue.Product")`, `ManyToManyField(to="Tag")`: relations to a model
    named by a string, which Django resolves by app label at start-up."""

    name = "django.model_reference"
    priority = 10

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        for module in context.code.modules:
            for call in context.code.calls(module):
                if call.name not in RELATION_FIELDS:
                    continue
                if call.path is not None and "sqlalchemy" in call.path:
                    continue
                reference = call.kwargs.get("to") or (call.args[0] if call.args else None)
                if reference and (link := _model_link(context, call, reference, self.name)):
                    yield link


@recognizer
class GetModel(Recognizer):
    """`apps.get_model("catalogue", "Product")`, `get_model("catalogue.Product")` and loaders
    of the same shape (django-oscar's `get_model`)."""

    name = "django.get_model"
    priority = 10

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        for module in context.code.modules:
            for call in context.code.calls(module):
                if call.name != "get_model" or not call.args or call.args[0] is None:
                    continue
                if len(call.args) >= 2 and call.args[1] is not None:
                    reference = f"{call.args[0]}.{call.args[1]}"
                else:
                    reference = call.args[0]
                if link := _model_link(context, call, reference, self.name, call.binds):
                    yield link


@recognizer
class InstalledApps(Recognizer):
    """`INSTALLED_APPS = ["shop.orders", "shop.orders.apps.OrdersConfig", ...]`."""

    name = "django.installed_apps"
    priority = 20

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code = context.code
        for module in code.modules:
            flow = code.facts[module].flow
            if flow is None or not flow.scopes:
                continue
            for target, value, line in flow.scopes[0].assigns:
                if target != ("n", "INSTALLED_APPS"):
                    continue
                for text in iter_strings(value):
                    resolved = code.resolve_dotted_string(text)
                    if resolved and (link := context.link(module, resolved, self.name, line)):
                        yield link


@recognizer
class UrlInclude(Recognizer):
    """`path("orders/", include("shop.orders.urls"))`."""

    name = "django.url_include"
    priority = 20

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code = context.code
        for module in code.modules:
            for call in code.calls(module):
                if call.name != "include" or not call.args or call.args[0] is None:
                    continue
                resolved = code.resolve_dotted_string(call.args[0])
                if resolved and (link := context.link(module, resolved, self.name, call.line)):
                    yield link


@recognizer
class SignalReceivers(Recognizer):
    """A receiver (`@receiver(order_placed)`, `order_placed.connect(handler)`) is tied to
    each module that sends the same signal (`order_placed.send(...)`), and to the model
    named as `sender=`: the import graph only shows both importing the signal."""

    name = "django.signal"
    priority = 30

    def find(self, context: WiringContext) -> Iterable[WiringLink]:
        code = context.code
        receivers: dict[str, list[tuple[str, int]]] = defaultdict(list)
        senders: dict[str, list[tuple[str, int]]] = defaultdict(list)
        links: list[WiringLink] = []
        for module in code.modules:
            for call in code.calls(module):
                signal = None
                if call.name == "receiver" and call.arg_exprs:
                    first = call.arg_exprs[0]  # a signal, or a list of them
                    for expr in first[3] if first and first[0] == "L" else (first,):
                        parts = expression_path(expr)
                        if parts:
                            signal = code.resolve_path(module, parts)
                            receivers[signal].append((module, call.line))
                elif call.name == "connect" and call.path and "." in call.path:
                    signal = call.path.rpartition(".")[0]
                    receivers[signal].append((module, call.line))
                elif call.name in ("send", "send_robust") and call.path and "." in call.path:
                    senders[call.path.rpartition(".")[0]].append((module, call.line))
                    continue
                if signal is None:
                    continue
                sender = call.kwarg_exprs.get("sender")
                parts = expression_path(sender) if sender else None
                lazy = call.kwargs.get("sender")  # model signals take "app_label.Model" too
                model = context.models.by_label(lazy, near=module) if lazy else None
                target = code.resolve_path(module, parts) if parts else None
                if target is None and model is not None:
                    target = model.name
                if target and target in context.models.models:
                    link = context.link(module, target, self.name, call.line)
                    if link:
                        links.append(link)
        for signal, found in sorted(receivers.items()):
            for module, line in found:
                for sender_module, _ in senders.get(signal, ()):
                    link = context.link(module, sender_module, self.name, line)
                    if link:
                        links.append(link)
        return links
