"""SQLAlchemy: `relationship("Model")` by class name and `ForeignKey("table.column")`."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.signals.wiring import Recognizer, WiringContext, WiringLink, recognizer


@recognizer
class Relationships(Recognizer):
    """`relationship("Order", back_populates=...)`, `backref`, and `ForeignKey("orders.id")`
    whose table belongs to a model of the project."""

    name = "sqlalchemy.relationship"
    priority = 10

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code, models = context.code, context.models
        for module in code.modules:
            for call in code.calls(module):
                if not call.args or call.args[0] is None:
                    continue
                reference = call.args[0]
                if call.name in ("relationship", "relation", "backref", "dynamic_loader"):
                    name = reference.rpartition(".")[2]
                    found = [m for m in models.by_class_name(name) if m.orm != "django"]
                    if not found:
                        continue
                    near = [m for m in found if m.module == module] or found
                    target = min(near, key=lambda m: m.name).name
                elif call.name == "ForeignKey" and (
                    (call.path is not None and "sqlalchemy" in call.path)
                    or reference.split(".")[0].islower()
                ):
                    table = reference.split(".")[-2] if reference.count(".") >= 1 else reference
                    found = models.by_table(table.lower())
                    if not found:
                        continue
                    target = min(found, key=lambda m: m.name).name
                else:
                    continue
                link = context.link(module, target, self.name, call.line)
                if link:
                    yield link
