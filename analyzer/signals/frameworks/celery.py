"""Celery: tasks sent by name (`send_task("shop.orders.tasks.ship")`, `signature(...)`)
tied to the task function that bears the name (its `name=` or its default dotted name)."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.signals.code_index import CodeIndex, expression_path, literal_string
from analyzer.signals.wiring import Recognizer, WiringContext, WiringLink, recognizer

TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task"})
SENDERS = frozenset({"send_task", "signature", "s"})


def task_names(code: CodeIndex) -> dict[str, str]:
    """Celery task name -> the task function's full name (`module.qualname`)."""
    names: dict[str, str] = {}
    for module in code.modules:
        flow = code.facts[module].flow
        if flow is None:
            continue
        for scope in flow.scopes:
            if scope.kind != "function":
                continue
            for decorator in scope.decorators:
                explicit = None
                expr = decorator
                if expr and expr[0] == "c" and expr[1] < len(flow.calls):
                    call = flow.calls[expr[1]]
                    expr = call.func
                    explicit = next(
                        (literal_string(v) for k, v in call.kwargs if k == "name"), None
                    )
                parts = expression_path(expr)
                if not parts or parts[-1] not in TASK_DECORATORS:
                    continue
                task = f"{module}.{scope.qualname}"
                names[explicit or task] = task
    return names


@recognizer
class TaskNames(Recognizer):
    """A task sent by its name string reaches the function that defines it."""

    name = "celery.task_name"
    priority = 10

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        code = context.code
        tasks = task_names(code)
        if not tasks:
            return
        for module in code.modules:
            for call in code.calls(module):
                if call.name not in SENDERS or not call.args or call.args[0] is None:
                    continue
                target = tasks.get(call.args[0])
                if target is not None and (
                    link := context.link(module, target, self.name, call.line)
                ):
                    yield link
