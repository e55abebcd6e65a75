"""parse_source: imports and their kinds, definitions, call lines, names, line counts, bad files."""

from __future__ import annotations

import ast
import gc
import hashlib
import random
import textwrap
from pathlib import Path

import pytest

import analyzer.parse as parse_module
from analyzer.facts import (
    DefinitionKind,
    FileProblem,
    ImportFact,
    ImportKind,
    ModuleFacts,
    SourceFile,
)
from analyzer.parse import (
    MAX_BRACKET_DEPTH,
    MAX_ELIF_CHAIN,
    MAX_EXPRESSION_CHAIN,
    count_lines,
    parse_source,
)

TOP = ImportKind.TOP_LEVEL
FUNC = ImportKind.FUNCTION
TC = ImportKind.TYPE_CHECKING
FALLBACK = ImportKind.FALLBACK


def src(relpath: str = "pkg/mod.py", module: str = "pkg.mod") -> SourceFile:
    return SourceFile(Path("/nowhere") / relpath, relpath, module, relpath.endswith("__init__.py"))


def parse(code: str | bytes, source: SourceFile | None = None) -> ModuleFacts | FileProblem:
    data = code if isinstance(code, bytes) else textwrap.dedent(code).lstrip("\n").encode()
    return parse_source(source or src(), data)


def facts(code: str | bytes) -> ModuleFacts:
    result = parse(code)
    assert isinstance(result, ModuleFacts), result
    return result


def problem(code: str | bytes) -> FileProblem:
    result = parse(code)
    assert isinstance(result, FileProblem), result
    return result


def imp(
    module: str,
    name: str | None = None,
    alias: str | None = None,
    level: int = 0,
    kind: ImportKind = TOP,
    line: int = 1,
    scope: str = "",
) -> ImportFact:
    return ImportFact(module, name, alias, level, kind, line, scope)


# --- imports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import os", [imp("os")]),
        ("import a.b.c", [imp("a.b.c")]),
        ("import a.b as x", [imp("a.b", alias="x")]),
        ("import os, sys as system", [imp("os"), imp("sys", alias="system")]),
        ("from a import b", [imp("a", "b")]),
        ("from a.b import c as d", [imp("a.b", "c", "d")]),
        ("from a import (b,\n    c as d,\n)", [imp("a", "b"), imp("a", "c", "d")]),
        ("from . import x", [imp("", "x", level=1)]),
        ("from .sib import y", [imp("sib", "y", level=1)]),
        ("from .. import x", [imp("", "x", level=2)]),
        ("from ..pkg.mod import y as z", [imp("pkg.mod", "y", "z", level=2)]),
        ("from ...top import w", [imp("top", "w", level=3)]),
        ("from a import *", [imp("a", "*")]),
        ("from .b import *", [imp("b", "*", level=1)]),
        ("x = 1; import os", [imp("os")]),
    ],
)
def test_import_forms(code: str, expected: list[ImportFact]) -> None:
    assert list(facts(code).imports) == expected


def test_import_bound_names() -> None:
    found = facts("import a.b\nimport a.b as x\nfrom c import d\nfrom e import f as g\n").imports
    assert [i.bound_name for i in found] == ["a", "x", "d", "g"]


@pytest.mark.parametrize(
    ("code", "kind", "scope"),
    [
        ("import os", TOP, ""),
        ("def f():\n    import os", FUNC, "f"),
        ("async def f():\n    import os", FUNC, "f"),
        ("class A:\n    import os", TOP, "A"),
        ("class A:\n    def m(self):\n        import os", FUNC, "A.m"),
        ("def f():\n    def g():\n        import os", FUNC, "f.g"),
        ("def f():\n    class A:\n        import os", FUNC, "f.A"),
        ("def f(): import os", FUNC, "f"),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os", TC, ""),
        ("import typing\nif typing.TYPE_CHECKING:\n    import os", TC, ""),
        ("if TYPE_CHECKING: import os", TC, ""),
        ("if TYPE_CHECKING:\n    pass\nelse:\n    import os", TOP, ""),
        ("if not TYPE_CHECKING:\n    import os", TOP, ""),
        ("if x:\n    pass\nelif TYPE_CHECKING:\n    import os", TC, ""),
        ("def f():\n    if TYPE_CHECKING:\n        import os", TC, "f"),
        ("try:\n    import os\nexcept ImportError:\n    pass", FALLBACK, ""),
        ("try:\n    import os\nexcept ModuleNotFoundError:\n    pass", FALLBACK, ""),
        ("try:\n    import os\nexcept (ValueError, ImportError):\n    pass", FALLBACK, ""),
        ("try:\n    import os\nexcept Exception:\n    pass", FALLBACK, ""),
        ("try:\n    import os\nexcept:\n    pass", FALLBACK, ""),
        ("try:\n    import os\nexcept builtins.ImportError as e:\n    pass", FALLBACK, ""),
        ("try:\n    import os\nexcept KeyError:\n    pass", TOP, ""),
        ("try:\n    import os\nfinally:\n    pass", TOP, ""),
        ("try:\n    pass\nexcept ImportError:\n    pass\nelse:\n    import os", TOP, ""),
        ("try:\n    pass\nexcept ImportError:\n    pass\nfinally:\n    import os", TOP, ""),
        (
            "def f():\n    try:\n        import os\n    except ImportError:\n        pass",
            FALLBACK,
            "f",
        ),
        ("try:\n    def f():\n        import os\nexcept ImportError:\n    pass", FUNC, "f"),
        ("try:\n    class A:\n        import os\nexcept ImportError:\n    pass", FALLBACK, "A"),
        ("import sys\nif sys.version_info >= (3, 8):\n    import os", TOP, ""),
        ("for i in x:\n    import os", TOP, ""),
        ("with x:\n    import os", TOP, ""),
    ],
)
def test_import_kinds(code: str, kind: ImportKind, scope: str) -> None:
    found = [i for i in facts(code).imports if i.module == "os"]
    assert [(i.kind, i.scope) for i in found] == [(kind, scope)]


def test_fallback_in_except_handler() -> None:
    code = """
    try:
        import simplejson as json
    except ImportError:
        import json
    """
    found = facts(code).imports
    assert [(i.module, i.alias, i.kind, i.line) for i in found] == [
        ("simplejson", "json", FALLBACK, 2),
        ("json", None, FALLBACK, 4),
    ]


def test_import_lines_and_scope_after_leaving_blocks() -> None:
    code = """
    import a

    def f():
        import b
        if TYPE_CHECKING:
            import c
        import d

    # comment
    import e
    """
    found = facts(code).imports
    assert [(i.module, i.kind, i.line, i.scope) for i in found] == [
        ("a", TOP, 1, ""),
        ("b", FUNC, 4, "f"),
        ("c", TC, 6, "f"),
        ("d", FUNC, 7, "f"),
        ("e", TOP, 10, ""),
    ]


# --- definitions ----------------------------------------------------------------------------


def test_definitions_qualnames_kinds_and_lines() -> None:
    code = """
    import functools


    @functools.lru_cache(maxsize=None)
    def top(a, b=helper()):
        def inner():
            return 1
        return inner


    class Base(models.Model, Mixin, metaclass=ABCMeta):
        '''Doc.'''

        @property
        def name(self):
            return self._name

        @name.setter
        def name(self, value):
            self._name = value

        async def fetch(self):
            pass

        class Meta:
            ordering = ["x"]

        if FLAG:
            def flagged(self):
                pass


    async def coro(): pass

    @dataclass
    class Point(Generic[T], six.with_metaclass(Meta, object)):
        x: int
    """
    defs = facts(code).definitions
    got = [(d.qualname, d.kind, d.line, d.end_line) for d in defs]
    assert got == [
        ("top", DefinitionKind.FUNCTION, 5, 8),
        ("top.inner", DefinitionKind.FUNCTION, 6, 7),
        ("Base", DefinitionKind.CLASS, 11, 30),
        ("Base.name", DefinitionKind.METHOD, 15, 16),
        ("Base.name", DefinitionKind.METHOD, 19, 20),
        ("Base.fetch", DefinitionKind.METHOD, 22, 23),
        ("Base.Meta", DefinitionKind.CLASS, 25, 26),
        ("Base.flagged", DefinitionKind.METHOD, 29, 30),
        ("coro", DefinitionKind.FUNCTION, 33, 33),
        ("Point", DefinitionKind.CLASS, 36, 37),
    ]
    by_line = {d.line: d for d in defs}
    assert by_line[5].decorators == ("functools.lru_cache",)
    assert by_line[11].bases == ("models.Model", "Mixin")
    assert by_line[15].decorators == ("property",)
    assert by_line[19].decorators == ("name.setter",)
    assert by_line[36].decorators == ("dataclass",)
    assert by_line[36].bases == ("Generic", "six.with_metaclass")


def test_local_names_of_functions() -> None:
    code = """
    import os
    G = 1

    def top(p, /, q, *args, r, s=lambda d: d, **kw):  # `d`: not top's
        global G, H
        G = H = 2
        x = y = 1
        t, *u = 1, 2
        [v, (w, *z)] = v2
        obj.attr = items[0] = 3
        for i, (j, k) in pairs: pass
        with open(p) as fh, ctx() as (w1, w2): pass
        try: pass
        except ValueError as err: pass
        if (wal := 3): pass
        del gone
        aug += 1
        ann: int
        call(kwarg=1)
        import sub.mod
        import os.path as osp
        from m import n as nn, o
        squares = [c * c for c in cs if (cw := c)]
        lam = lambda lp, *la, lk=0, **lkw: lp
        match value:
            case [m1, *mrest]: pass
            case {"key": m2, **mr}: pass
            case Point(x=m3) | m3: pass
        def inner(ip):
            nonlocal x
            x = ip
        class Nested:
            battr = 1
            def meth(self, mp):
                ml = mp
        async def coro():
            async for ai in aiter(): pass
            async with actx() as aw: pass

    class C:
        cattr = 1
        for cv in []: pass
        def m(self): pass

    def empty(): pass
    """
    local = {d.qualname: d.local_names for d in facts(code).definitions}
    assert local == {
        "top": (
            "Nested", "ann", "args", "aug", "c", "coro", "cw", "err", "fh", "gone", "i",
            "inner", "j", "k", "kw", "la", "lam", "lk", "lkw", "lp", "m1", "m2", "m3", "mr",
            "mrest", "nn", "o", "osp", "p", "q", "r", "s", "squares", "sub", "t", "u", "v",
            "w", "w1", "w2", "wal", "x", "y", "z",
        ),
        "top.inner": ("ip",),
        "top.Nested": (),
        "top.Nested.meth": ("ml", "mp", "self"),
        "top.coro": ("ai", "aw"),
        "C": (),
        "C.m": ("self",),
        "empty": (),
    }  # fmt: skip
    assert facts(code).module_names == ("G",)


def test_lambda_in_a_default_binds_in_the_enclosing_function() -> None:
    code = """
    def outer():
        def inner(a=lambda la: la, *, b: int = (bw := 1)): pass
    """
    local = {d.qualname: d.local_names for d in facts(code).definitions}
    assert local == {"outer": ("bw", "inner", "la"), "outer.inner": ("a", "b")}


def test_definition_lines_match_ast_on_a_tricky_file() -> None:
    code = textwrap.dedent(
        '''
        """Module docstring
        over lines."""
        x = (
            1,
            2,
        )
        s = """a
        b
        c"""
        t = f"""{x}
        {s}"""
        y = 1 + \\
            2


        @decorator(
            arg,
        )
        def f(
            a,
            b,
        ):
            """Doc
            string"""
            return (a +
                    b)


        class K(
            Base,
        ):
            def m(self): return [
                1,
            ]
        '''
    ).lstrip("\n")
    tree = ast.parse(code)
    expected = [
        (node.name, node.lineno, node.end_lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    ]
    defs = facts(code).definitions
    assert sorted((d.qualname.rsplit(".")[-1], d.line, d.end_line) for d in defs) == sorted(
        expected
    )


# --- calls --------------------------------------------------------------------------------------


def _callee_text(func: tuple) -> str:
    """`a.b.c` for a name/attribute chain; a call's result shows as `()`."""
    if func[0] == "n":
        return func[1]
    if func[0] == "a":
        return f"{_callee_text(func[1])}.{func[2]}"
    return "()" if func[0] == "c" else func[0]


def test_callers_and_lines() -> None:
    code = """
    setup()

    @register("x")
    def handler(arg=default()):
        return process(arg)

    class Service(base()):
        client = make_client()

        @cached(ttl())
        def run(self):
            data = [load(i) for i in items()]
            def inner():
                return helper()
            return self.repo.save(
                data,
            )

    result = (
        session.query(Model)
        .filter(ok())
        .all()
    )
    """
    calls = facts(code).flow.calls
    found = sorted((c.line, c.scope, _callee_text(c.func)) for c in calls)
    assert found == [
        (1, "", "setup"),
        (3, "", "register"),
        (4, "", "default"),
        (5, "handler", "process"),
        (7, "", "base"),
        (8, "Service", "make_client"),
        (10, "Service", "cached"),
        (10, "Service", "ttl"),
        (12, "Service.run", "items"),
        (12, "Service.run", "load"),
        (14, "Service.run.inner", "helper"),
        (15, "Service.run", "self.repo.save"),
        # A chain of calls starts where its first callee does.
        (20, "", "().all"),
        (20, "", "().filter"),
        (20, "", "session.query"),
        (21, "", "ok"),
    ]


# --- module names and __all__ -------------------------------------------------------------------


def test_module_names() -> None:
    code = """
    import os
    from x import y
    A = 1
    B: int = 2
    C: int
    a, (b, *rest) = 1, (2, 3)
    [l1, l2] = [1, 2]
    p = q = 3
    obj.attr = 4
    items[0] = 5
    A += 1
    type Alias = int
    if cond:
        D = 6
    def f():
        local = 7
    class K:
        attr = 8
    """
    assert facts(code).module_names == (
        "A", "B", "a", "b", "rest", "l1", "l2", "p", "q", "Alias", "D",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = 1", None),
        ("__all__ = ['a', 'b']", ("a", "b")),
        ("__all__ = ('a',)", ("a",)),
        ("__all__: list[str] = ['a']", ("a",)),
        ("__all__ = []", ()),
        ("__all__ = ['a']\n__all__ += ['b']", ("a", "b")),
        ("__all__ = ['a' 'b', \"c\"]", ("ab", "c")),
        ("__all__ = [name for name in dir()]", None),
        ("__all__ = ['a', x]", None),
        ("__all__ = [b'a']", None),
        ("__all__ = other.__all__ + ['a']", None),
        ("__all__ = compute()\n__all__ += ['b']", None),
        ("__all__ += ['b']", None),
        ("def f():\n    __all__ = ['a']", None),
    ],
)
def test_all_names(code: str, expected: tuple[str, ...] | None) -> None:
    assert facts(code).all_names == expected


# --- line counts and hash -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "total", "code"),
    [
        ("", 0, 0),
        ("\n", 1, 0),
        ("x = 1", 1, 1),
        ("x = 1\n", 1, 1),
        ("# c\n\nx = 1\n   # indented comment\n\n", 5, 1),
        ("x = 1\r\ny = 2\r\n", 2, 2),
        ("x = 1\ry = 2\r", 2, 2),
        ('"""doc\n\nmore"""\n', 3, 2),
        ("x = 1\n\x0c\ny = 2\n", 3, 2),
    ],
)
def test_count_lines(text: str, total: int, code: int) -> None:
    assert count_lines(text) == (total, code)


def test_facts_carry_source_identity_and_hash() -> None:
    data = b"import os\n\n# c\ndef f():\n    pass\n"
    result = parse_source(src("pkg/__init__.py", "pkg"), data)
    assert isinstance(result, ModuleFacts)
    assert (result.module, result.relpath, result.is_package) == ("pkg", "pkg/__init__.py", True)
    assert result.content_hash == hashlib.sha256(data).hexdigest()
    assert (result.total_lines, result.code_lines) == (5, 3)


# --- good files in unusual shapes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "total", "import_line"),
    [
        (b"", 0, None),
        (b"\n\n", 2, None),
        (b"# only a comment", 1, None),
        ("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nimport os\n".encode("latin-1"), 3, 3),
        (b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\x80'\nimport os\n", 4, 4),
        (b"\xef\xbb\xbfimport os\n", 1, 1),
        (b"import os\r\nx = 1\r\n", 2, 1),
        (b"x = 1\r\n\r\nimport os\r\n", 3, 3),
        (b"import os", 1, 1),
        (b"x = 1\n\x0c\nimport os\n", 3, 3),
        (b"type Point = tuple[float, float]\ndef f[T](x: T) -> T:\n    import os\n", 3, 3),
        (b'x = f"{a["k"]}"\nimport os\n', 2, 2),
        (b"match x:\n    case [a, b]:\n        import os\n", 3, 3),
        (b"try:\n    import os\nexcept* ValueError:\n    pass\n", 4, 2),
        (b"x = 1 + \\\n    2\nimport os\n", 3, 3),
    ],
)
def test_unusual_but_valid_files(data: bytes, total: int, import_line: int | None) -> None:
    result = parse_source(src(), data)
    assert isinstance(result, ModuleFacts), result
    assert result.total_lines == total
    assert [i.line for i in result.imports] == ([] if import_line is None else [import_line])


def test_empty_file() -> None:
    result = facts(b"")
    assert (result.total_lines, result.code_lines) == (0, 0)
    assert (result.imports, result.definitions) == ((), ())
    assert result.flow is not None and result.flow.calls == ()


@pytest.mark.parametrize(
    "code",
    [
        "try:\n    import os\nexcept ImportError, e:\n    pass\n",
        "try:\n    import os\nexcept (IOError, ImportError), e:\n    pass\n",
        "import os\nprint >>sys.stderr, 'x'\n",
    ],
)
def test_python_2_lines_that_are_valid_python_3_grammar(code: str) -> None:
    # `except A, B:` means `except (A, B):` since Python 3.14 (PEP 758), and `print >>f, x` is
    # a tuple expression: libcst accepts both, so such files are analyzed, not refused.
    assert facts(code).imports[0].module == "os"


def test_deep_but_legal_nesting_is_analyzed() -> None:
    depth = MAX_BRACKET_DEPTH - 1
    code = "x = " + "f(" * depth + ")" * depth + "\n"
    code += "".join("    " * i + "if x:\n" for i in range(90)) + "    " * 90 + "import os\n"
    result = facts(code)
    assert result.flow is not None and len(result.flow.calls) == depth
    assert result.imports[0].line == 92


def test_long_elif_chain_below_the_limit() -> None:
    code = "if x == 0:\n    pass\n" + "".join(
        f"elif x == {i}:\n    f{i}()\n" for i in range(1, 1200)
    )
    result = facts(code)
    assert result.flow is not None and len(result.flow.calls) == 1199
    assert result.flow.calls[-1].line == 2 * 1199 + 2


# --- bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "line", "label"),
    [
        ('import os\nprint "hello"\n', 2, "print statement"),
        ("def f():\n    if x: print x\n", 2, "print statement"),
        ("exec 'x = 1'\n", 1, "exec statement"),
        ("x = `y`\n", 1, "backtick"),
        ("mode = 0777\n", 1, "octal"),
        ("n = 10L\n", 1, "long integer"),
        ("if a <> b:\n    pass\n", 1, "<>"),
        ("raise ValueError, 'bad'\n", 1, "raise E, msg"),
        ("s = ur'abc'\n", 1, "ur''"),
    ],
)
def test_python_2_files(code: str, line: int, label: str) -> None:
    # Read in degraded mode (analyzer.legacy_parse), saying why and where.
    found = parse(code)
    assert isinstance(found, ModuleFacts), found
    assert found.relpath == "pkg/mod.py"
    assert found.degraded.startswith(f"Python 2 syntax at line {line} (")
    assert label in found.degraded
    assert found.degraded.endswith("; analyzed for imports and definitions only")
    assert found.flow is None
    assert found.content_hash == hashlib.sha256(code.encode()).hexdigest()


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("def f(:\n    pass\n", 2),
        ("x = (1,\n", 1),
        ("class\n", 1),
        ("x = 1\n  y = 2\n", 2),
        ("printer = 1\nprinter x\n", 2),
    ],
)
def test_syntax_errors(code: str, line: int) -> None:
    found = problem(code)
    assert found.reason.startswith(f"syntax error at line {found.line}: ")
    assert "Python 2" not in found.reason
    assert "\n" not in found.reason
    assert found.line == line


@pytest.mark.parametrize(
    ("data", "reason", "line"),
    [
        (b"x = 1\ny = '\xff\xfe'\n", "not valid UTF-8", 2),
        (b"# coding: ascii\nx = '\xe9'\n", "not valid ascii (its declared encoding)", 2),
        (b"x = '\xe9'\n", "not valid UTF-8 (and no encoding declared)", 1),
        (b"\xef\xbb\xbfx = '\xe9'\n", "not valid UTF-8", 1),
        (b"# coding: klingon\nx = 1\n", "unknown encoding declared: klingon", None),
        (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "BOM but another encoding declared", None),
        (b"x = 1\ny = 2\x00\n", "contains NUL bytes", 2),
        ("import os\n".encode("utf-16"), "contains NUL bytes (UTF-16 encoded?)", 1),
        (b"\x7fELF\x02\x01\x01\x00\x00", "contains NUL bytes", 1),
    ],
)
def test_undecodable_files(data: bytes, reason: str, line: int | None) -> None:
    found = parse_source(src(), data)
    assert isinstance(found, FileProblem)
    assert reason in found.reason
    assert found.line == line


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("x = " + "(" * 3000 + ")" * 3000 + "\n", "nested deeper than Python allows"),
        ("x = " + "[" * (MAX_BRACKET_DEPTH + 1) + "]" * (MAX_BRACKET_DEPTH + 1), "nested"),
        ("x = " + "+".join(["1"] * 20_000) + "\n", "expression too long"),
        ("x = f" + "()" * 10_000 + "\n", "expression too long"),
        ("x = a" + ".b" * MAX_EXPRESSION_CHAIN + "\n", "expression too long"),
        ("x = " + "-" * 50_000 + "1\n", "expression too long"),
        ("x = " + "lambda: " * 5_000 + "1\n", "expression too long"),
        (
            "if x == 0:\n    pass\n"
            + "".join(f"elif x == {i}:\n    pass\n" for i in range(1, MAX_ELIF_CHAIN + 2)),
            "elif chain too long",
        ),
        # Replacement fields of f-strings are code: libcst segfaulted on the first two and
        # took minutes on the third before the scan looked inside f-strings.
        ("x = f'{" + "(" * 5000 + "1" + ")" * 5000 + "}'\n", "nested deeper than Python"),
        ('x = rf"""{' + "[" * 5000 + "\n" + "]" * 5000 + '}"""\n', "nested deeper than Python"),
        ("x = f'{" + "1 + " * 20_000 + "1}'\n", "expression too long"),
        ("x = " + "f'{" * 1000 + "1" + "}'" * 1000 + "\n", "nested deeper than Python"),
    ],
)
def test_pathological_nesting_is_refused_not_crashed(code: str, reason: str) -> None:
    # Without the guards several of these crash the process inside libcst's native parser.
    found = problem(code)
    assert reason in found.reason


def test_a_bracket_never_closed_in_a_long_file_is_a_syntax_error() -> None:
    code = "import os\nx = foo(\n" + "".join(f"def f{i}(a):\n    return g(a)\n" for i in range(400))
    found = problem(code)
    assert found.reason == "syntax error at line 2: bracket is never closed"
    assert found.line == 2


def test_pathological_indentation_is_a_syntax_error() -> None:
    code = "".join(" " * i + "if x:\n" for i in range(150)) + " " * 150 + "pass\n"
    assert "indentation" in problem(code).reason


def test_brackets_inside_strings_and_comments_do_not_count() -> None:
    opener = "'(((('  # \"((((\"\n"
    code = "".join(f"x{i} = {opener}" for i in range(200)) + "y = '''\n" + "[" * 300 + "\n'''\n"
    assert len(facts(code).module_names) == 201


def test_f_strings_below_the_limits_are_analyzed() -> None:
    code = (
        "import os\n"
        "x = f'{" + "(" * 150 + "os.sep" + ")" * 150 + "}'\n"
        "y = f'{{literal (((( braces}} {x!r:>{width}} {d[\"k\"]}'\n"
        "z = f'" + "word " * 3000 + "{x}'\n"
    )
    assert [i.module for i in facts(code).imports] == ["os"]


def test_parse_source_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.parse as parse_module

    def boom(text: str) -> None:
        raise RuntimeError("internal libcst failure\nwith details")

    monkeypatch.setattr(parse_module.cst, "parse_module", boom)
    found = problem("x = 1\n")
    assert found.reason == "could not be analyzed: RuntimeError: internal libcst failure"


def test_recursion_error_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.parse as parse_module

    def deep(self: object, node: object) -> bool:
        raise RecursionError

    monkeypatch.setattr(parse_module._Collector, "visit_Module", deep, raising=False)
    parse_module._PLANS.clear()
    try:
        assert problem("x = 1\n").reason == "nesting too deep to analyze"
    finally:
        parse_module._PLANS.clear()


GUARD_PIECES = [
    "a", "bb", "f", "r", "rb", "x1", ".", "+", "==", " ", "  ", "\t", "\n", "\r\n", "\\\n",
    "\\", "(", ")", "[", "]", "{", "}", ",", ";", "#c", "# x (\n", "'s'", '"d"', "f'{a}'",
    'f"{x:{w}}"', "rb'z'", "'''t\n'''", '"""u"""', "'", '"', "\xa0", "\x0c", "fr'{(a,b)}'",
    "f'{{'", "x'", 'b"', "u'", "t'{a+b}'", "1.5e3", "->",
]  # fmt: skip


def _exact_guard(text: str) -> tuple[str, int] | None:
    try:
        parse_module._Scanner(text, parse_module._TOKEN_RE).scan(text, 1)
    except parse_module._TooComplex as problem:
        return problem.reason, problem.line
    return None


def test_the_quick_guard_scan_answers_as_the_exact_one() -> None:
    """The quick scan may overcount (then the exact scan decides) but never undercount."""
    rng = random.Random(7)
    texts = []
    for _ in range(300):
        texts.append("".join(rng.choices(GUARD_PIECES, k=rng.choice([50, 400, 2500]))))
        depth = rng.choice([150, 199, 200, 201])
        terms = rng.choices(["a+", "b.", "f(", "x,", "y ", "\n", "'s'"], k=rng.choice([800, 2500]))
        texts.append("(" * depth + "".join(terms) + ")" * depth)
    refused = 0
    for text in texts:
        found = parse_module._check_complexity(text)
        assert found == _exact_guard(text), text[:200]
        refused += found is not None
    assert 100 < refused < len(texts) - 100


def test_the_garbage_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    parse("import os\n")
    parse("(" * 500)  # refused by the guard
    assert gc.isenabled()
    gc.disable()
    try:
        parse("import os\n")
        assert not gc.isenabled()
    finally:
        gc.enable()
