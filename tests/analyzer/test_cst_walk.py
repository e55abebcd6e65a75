"""analyzer.cst_walk.walk visits exactly what libcst's own visit does, in the same order."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from analyzer import cst_walk
from analyzer.cst_walk import walk
from analyzer.discover import discover
from analyzer.parse import parse_source

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"


class EventLog(cst.CSTVisitor):
    """Every on_visit/on_leave as (event, node type, code of small nodes); skips the
    children of every `Lambda`, to check that returning False prunes the same way."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", type(node).__name__))
        return not isinstance(node, cst.Lambda)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", type(original_node).__name__))


SNIPPETS = {
    "f-strings with and without format specs": """
        a = f"{x}"
        b = f"{x:{width}}"
        c = f"{x!r:>{width}.{precision}} and {y=}"
        d = f"{x}" f"{y:>3}"
    """,
    "decorated async function with annotations and defaults": """
        @decorator(arg)
        @other
        async def f(a: int, /, b=1, *args, c: str = "x", **kw) -> dict[str, int]:
            async with ctx() as (p, q):
                async for i in aiter():
                    await g(i)
            return {k: v for k, v in kw.items() if v}
    """,
    "classes, lambdas, walrus, star-expressions": """
        class A(Base, metaclass=Meta):
            x: int = 1
            def m(self):
                return lambda y, *z: (y, z)
        if (n := len(items)) > 3:
            first, *rest = items
        print(*args, sep="", **kwargs)
    """,
    "match statement": """
        match command.split():
            case [action]:
                pass
            case ["go", direction] | ["move", direction]:
                go(direction)
            case {"x": x, **rest} if x > 0:
                pass
            case Point(x=0, y=yy) as p:
                pass
            case _:
                pass
    """,
    "try, except*, with, global, del, slices": """
        try:
            x = a[1:2:3, ::-1]
        except* ValueError as e:
            del x
        finally:
            global g
        with open(p) as f, lock:
            pass
    """,
    "comments, line continuations, semicolons": """
        # a comment
        x = 1 + \\
            2  # trailing
        y = 3; z = [
            1,  # one
            2,
        ]
    """,
}


@pytest.mark.parametrize("source", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_walk_makes_the_same_calls_as_visit(source: str) -> None:
    module = cst.parse_module(textwrap.dedent(source).lstrip())
    by_visit, by_walk = EventLog(), EventLog()
    module.visit(by_visit)
    walk(module, by_walk)
    assert by_walk.events == by_visit.events
    assert len(by_walk.events) > 20


def test_facts_are_the_same_as_with_libcst_visit(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [(s, s.path.read_bytes()) for s in discover(SAMPLE).files]
    walked = [parse_source(s, data) for s, data in files]

    def visit_instead(visitor: cst.CSTVisitor, module: cst.Module) -> None:
        module.visit(visitor)

    monkeypatch.setattr("analyzer.parse._walk", visit_instead)
    visited = [parse_source(s, data) for s, data in files]
    assert walked == visited
    assert len(files) > 50


def test_an_unseen_optional_child_is_still_visited(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first f-string expression has no format spec; a later one's spec holds a name."""
    monkeypatch.setattr(cst_walk, "_FIXED", {})
    monkeypatch.setattr(cst_walk, "_ORDER", {})
    monkeypatch.setattr(cst_walk, "_OPTIONAL", {})
    module = cst.parse_module('a = f"{x}"\nb = f"{y:{hidden}}"\n')
    names: list[str] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            names.append(node.value)

    walk(module, Names())
    assert names == ["a", "x", "b", "y", "hidden"]
