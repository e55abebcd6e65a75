"""Degraded mode: Python 2 files libcst refuses are read for their imports and definitions
(analyzer.legacy_parse), through parse_source, the pipeline, the plan, the reports and the CLI."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import pytest

import analyzer.collect as collect_module
from analyzer.facts import (
    PARTIAL_ANALYSIS,
    DefinitionKind,
    FileProblem,
    ImportKind,
    ModuleFacts,
    SourceFile,
)
from analyzer.legacy_parse import legacy_facts, statement_start
from analyzer.parse import parse_source
from analyzer.pipeline import AnalysisSettings, analyze
from analyzer.plan import read_plan
from monocut.cli import main
from tests.trees import write_tree

SOURCE = SourceFile(Path("pkg/mod.py"), "pkg/mod.py", "pkg.mod", False)
REASON = "Python 2 syntax at line 1 (print statement)"

TOP, FUNCTION, FALLBACK, TYPE_CHECKING = (
    ImportKind.TOP_LEVEL,
    ImportKind.FUNCTION,
    ImportKind.FALLBACK,
    ImportKind.TYPE_CHECKING,
)


def legacy(code: str) -> ModuleFacts:
    found = legacy_facts(SOURCE, code, REASON)
    assert found is not None
    return found


def imports(found: ModuleFacts) -> list[tuple[object, ...]]:
    """(module, name, alias, level, scope, line, kind) of each import."""
    return [(i.module, i.name, i.alias, i.level, i.scope, i.line, i.kind) for i in found.imports]


def definitions(found: ModuleFacts) -> list[tuple[object, ...]]:
    """(qualname, kind, line, end_line, bases) of each definition."""
    return [(d.qualname, d.kind, d.line, d.end_line, d.bases) for d in found.definitions]


def dedent(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


# --- the extractor on Python 2 snippets -----------------------------------------------------

CASES = [
    pytest.param(
        """
        import os, sys
        print "hello", os.sep
        """,
        [("os", None, None, 0, "", 1, TOP), ("sys", None, None, 0, "", 1, TOP)],
        [],
        id="print-statement",
    ),
    pytest.param(
        """
        import sys
        def log(f, x):
            print >>f, x
            print >>sys.stderr, "done",
            from logging import getLogger as get
        """,
        [
            ("sys", None, None, 0, "", 1, TOP),
            ("logging", "getLogger", "get", 0, "log", 5, FUNCTION),
        ],
        [("log", DefinitionKind.FUNCTION, 2, 5, ())],
        id="print-chevron",
    ),
    pytest.param(
        """
        try:
            import json
        except ImportError, e:
            print "no json:", e
            import simplejson as json
        """,
        [
            ("json", None, None, 0, "", 2, FALLBACK),
            ("simplejson", None, "json", 0, "", 5, FALLBACK),
        ],
        [],
        id="except-comma",
    ),
    pytest.param(
        """
        from util import fmt
        class Shape(base.Model, Mixin):
            def show(self, x):
                import pprint
                return `x` + fmt(`self`)
        """,
        [
            ("util", "fmt", None, 0, "", 1, TOP),
            ("pprint", None, None, 0, "Shape.show", 4, FUNCTION),
        ],
        [
            ("Shape", DefinitionKind.CLASS, 2, 5, ("base.Model", "Mixin")),
            ("Shape.show", DefinitionKind.METHOD, 3, 5, ()),
        ],
        id="backticks",
    ),
    pytest.param(
        """
        def run(code, ns):
            exec "import os" in ns
            exec code
            import runner
        """,
        [("runner", None, None, 0, "run", 4, FUNCTION)],
        [("run", DefinitionKind.FUNCTION, 1, 4, ())],
        id="exec-statement",
    ),
    pytest.param(
        """
        import os
        MODE = 0777
        BIG = 10L + 0x1fL
        def chmod(path):
            os.chmod(path, 0644)
        import stat
        """,
        [("os", None, None, 0, "", 1, TOP), ("stat", None, None, 0, "", 6, TOP)],
        [("chmod", DefinitionKind.FUNCTION, 4, 5, ())],
        id="octal-and-long-literals",
    ),
    pytest.param(
        """
        from re import compile as rx
        PATTERN = ur"\\d+"
        LABEL = UR'caf\\xe9'
        def check(a, b):
            if a <> b:
                from errors import Mismatch
                raise Mismatch, "differ"
        """,
        [
            ("re", "compile", "rx", 0, "", 1, TOP),
            ("errors", "Mismatch", None, 0, "check", 6, FUNCTION),
        ],
        [("check", DefinitionKind.FUNCTION, 4, 7, ())],
        id="ur-strings-and-not-equal",
    ),
    pytest.param(
        "import os\nclass Job:\n\tdef run(self):\n\t\timport subprocess\n\t\tprint 'run'\n"
        "\n\tdef stop(self):\n\t\tpass\nimport sys\n",
        [
            ("os", None, None, 0, "", 1, TOP),
            ("subprocess", None, None, 0, "Job.run", 4, FUNCTION),
            ("sys", None, None, 0, "", 9, TOP),
        ],
        [
            ("Job", DefinitionKind.CLASS, 2, 8, ()),
            ("Job.run", DefinitionKind.METHOD, 3, 5, ()),
            ("Job.stop", DefinitionKind.METHOD, 7, 8, ()),
        ],
        id="tab-indented",
    ),
    pytest.param(
        """
        import models
        import helpers.text as text, db
        from store import save, load as fetch
        from . import sibling
        from .. import parent
        from ..pkg.mod import (
            a,
            b as c,
        )
        from ...deep import *
        print models
        """,
        [
            ("models", None, None, 0, "", 1, TOP),
            ("helpers.text", None, "text", 0, "", 2, TOP),
            ("db", None, None, 0, "", 2, TOP),
            ("store", "save", None, 0, "", 3, TOP),
            ("store", "load", "fetch", 0, "", 3, TOP),
            ("", "sibling", None, 1, "", 4, TOP),
            ("", "parent", None, 2, "", 5, TOP),
            ("pkg.mod", "a", None, 2, "", 6, TOP),
            ("pkg.mod", "b", "c", 2, "", 6, TOP),
            ("deep", "*", None, 3, "", 10, TOP),
        ],
        [],
        id="import-forms",
    ),
    pytest.param(
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from app.models import Order
        class Service(object):
            import logging
            def a(self): import json
            def a(self):
                def inner():
                    try: import yaml
                    except (KeyError, ImportError): yaml = None
                print "twice"
        """,
        [
            ("typing", "TYPE_CHECKING", None, 0, "", 1, TOP),
            ("app.models", "Order", None, 0, "", 3, TYPE_CHECKING),
            ("logging", None, None, 0, "Service", 5, TOP),
            ("json", None, None, 0, "Service.a", 6, FUNCTION),
            ("yaml", None, None, 0, "Service.a#2.inner", 9, FALLBACK),
        ],
        [
            ("Service", DefinitionKind.CLASS, 4, 11, ("object",)),
            ("Service.a", DefinitionKind.METHOD, 6, 6, ()),
            ("Service.a", DefinitionKind.METHOD, 7, 11, ()),
            ("Service.a.inner", DefinitionKind.FUNCTION, 8, 10, ()),
        ],
        id="scopes-and-kinds",
    ),
]


@pytest.mark.parametrize(("code", "expected_imports", "expected_definitions"), CASES)
def test_imports_and_definitions(
    code: str,
    expected_imports: list[tuple[object, ...]],
    expected_definitions: list[tuple[object, ...]],
) -> None:
    found = legacy(dedent(code))
    assert imports(found) == expected_imports
    assert definitions(found) == expected_definitions
    assert found.flow is None
    assert found.degraded == f"{REASON}; {PARTIAL_ANALYSIS}"


def test_module_names_all_and_decorators() -> None:
    found = legacy(
        dedent(
            """
            \"\"\"Orders, the old way.\"\"\"
            import os
            __all__ = ['Order', "total"]
            __all__ += ('extra',)
            DEFAULT, (LIMIT, *REST) = 1, (2, 3)
            COUNT += 1
            obj.attr = 2
            for loop_var in range(3): print loop_var
            QUERY = "SELECT id FROM orders JOIN lines ON lines.order_id = orders.id"

            @app.route('/x')
            @staticmethod
            def total(a, (b, c)=(1, 2), *args, **kw):
                global COUNT
                x, y = 1, 2
                COUNT = 3
                for item in args: pass
                print `x`
            """
        )
    )
    assert found.all_names == ("Order", "total", "extra")
    assert found.module_names == ("__all__", "DEFAULT", "LIMIT", "REST", "COUNT", "QUERY")
    (total,) = found.definitions
    assert total.decorators == ("app.route", "staticmethod")
    assert total.local_names == ("a", "args", "b", "c", "item", "kw", "x", "y")
    assert ("orders", "read") in found.sql_tables
    assert dict(found.terms).get("loop", 0) >= 1
    assert (found.total_lines, found.code_lines) == (18, 17)


def test_an_all_that_is_not_a_literal_is_unknown() -> None:
    assert legacy("__all__ = names()\nprint 1\n").all_names is None
    assert legacy("__all__ = ['a']\n__all__ += other\n").all_names is None
    assert legacy("__all__ = ['a'] + ['b']\n").all_names is None


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import os\nx = (1,\nprint 'never closed'\n", id="unclosed-bracket"),
        pytest.param('import os\ns = """never closed\nprint 1\n', id="unclosed-string"),
        pytest.param("import os\nif x:\n        a = 1\n    b = 2\nimport sys\n", id="bad-dedent"),
        pytest.param("import os\nx = $ ? !\nprint 'odd' \x0c\n", id="error-tokens"),
    ],
)
def test_what_the_tokenizer_cannot_read_ends_the_scan_quietly(code: str) -> None:
    found = legacy_facts(SOURCE, code, REASON)
    assert found is not None
    assert found.imports[0].module == "os"


@pytest.mark.parametrize("code", ["", "\n\n", "(((", "'''", "\\\n", "\t\t\tx\n  y\n"])
def test_it_never_raises(code: str) -> None:
    found = legacy_facts(SOURCE, code, REASON)
    assert found is None or isinstance(found, ModuleFacts)


def test_python_3_code_gives_the_same_facts_as_the_full_parser() -> None:
    """On code both can read, the degraded reader agrees with libcst's on everything it
    extracts (function local names are a subset there: no lambdas, comprehensions, walrus)."""
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "sample_monolith").rglob("*.py")) + [root / "analyzer/parse.py"]
    assert len(files) > 20
    for path in files:
        data = path.read_bytes()
        source = SourceFile(path, path.name, "m", False)
        full = parse_source(source, data)
        assert isinstance(full, ModuleFacts), full
        found = legacy_facts(source, data.decode(), REASON)
        assert found is not None
        assert found.imports == full.imports, path
        assert definitions(found) == definitions(full), path
        assert [d.decorators for d in found.definitions] == [
            d.decorators for d in full.definitions
        ], path
        for mine, theirs in zip(found.definitions, full.definitions, strict=True):
            assert set(mine.local_names) <= set(theirs.local_names), (path, mine.qualname)
        assert found.module_names == full.module_names, path
        assert found.all_names == full.all_names, path
        assert (found.total_lines, found.code_lines) == (full.total_lines, full.code_lines)


# --- through parse_source -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ('import os\nprint "hello"\n', "print statement"),
        ("import os\ntry:\n    pass\nexcept ValueError, e:\n    print e\n", "print statement"),
        ("import os\nx = `os`\n", "backtick"),
        ("import os\nexec 'x = 1'\n", "exec statement"),
        ("import os\nif os.sep <> '/':\n    pass\n", "<>"),
        ("import os\nmode = 0777\n", "octal"),
        ("import os\ns = ur'abc'\n", "ur''"),
        (  # the error is reported at the end of the continued statement
            "import os\nif os:\n    raise ValueError, \\\n        ('bad' +\n         'value')\n",
            "raise E",
        ),
        ('import os\nexec """x = 1\ny = 2""" in {}\n', "exec statement"),
        (
            "import os\ntry:\n    pass\nexcept:\n    e = os.e\n    raise e[0], e[1], e[2]\n",
            "raise E",
        ),
    ],
)
def test_parse_source_reads_python_2_in_degraded_mode(code: str, label: str) -> None:
    data = code.encode()
    found = parse_source(SOURCE, data)
    assert isinstance(found, ModuleFacts), found
    assert label in found.degraded
    assert found.degraded.endswith(PARTIAL_ANALYSIS)
    assert [i.module for i in found.imports] == ["os"]
    assert found.content_hash == hashlib.sha256(data).hexdigest()


def test_statement_start() -> None:
    text = "a = 1\nexec '''x\ny''' in d\n\nraise E, \\\n  (1,\n   2)\nb = (\n  1)\n"
    starts = [statement_start(text, line) for line in range(1, 11)]
    assert starts == [1, 2, 2, 4, 5, 5, 5, 8, 8, 10]
    assert statement_start("x = (1,\n", 1) == 1
    assert statement_start('"""\n', 3) == 3


@pytest.mark.parametrize(
    "code",
    [
        "import os\ndef broken(:\n    pass\n",
        "import os\nx = (1,\n",
        "import os\nclass\n",
        "import os\nprinter x\n",
        "import os\nreturn = 3\n",
    ],
)
def test_a_python_3_syntax_error_is_still_a_problem(code: str) -> None:
    found = parse_source(SOURCE, code.encode())
    assert isinstance(found, FileProblem), found
    assert found.reason.startswith("syntax error at line ")


def test_valid_python_3_is_not_degraded() -> None:
    found = parse_source(SOURCE, b"import os\nprint('hello')\n")
    assert isinstance(found, ModuleFacts)
    assert found.degraded == ""
    assert found.flow is not None


# --- the pipeline, the plan, the reports and the CLI ---------------------------------------

PY2_TREE: dict[str, str | bytes] = {
    "shop/__init__.py": "",
    "shop/models.py": """
        import db

        class Order(object):
            def total(self):
                print "total"
                return 0777
    """,
    "shop/db.py": """
        import sys

        def connect():
            print >>sys.stderr, "connecting"  # valid Python 3 too, an expression
            print "connected"
            return None
    """,
    "shop/orders.py": """
        import models
        from db import connect

        def place():
            try:
                connect()
            except ValueError, e:
                print e
            return models.Order()
    """,
    "shop/billing.py": """
        from shop.models import Order
        import db

        def charge(order):
            print `order`
            return db.connect()
    """,
    "shop/reports.py": """
        import orders, billing

        def report():
            exec "x = 1"
            return orders.place(), billing.charge(None)
    """,
    "shop/util/__init__.py": "",
    "shop/util/text.py": b"from ..models import Order\n\ndef label(o):\n\tprint ur'order'\n",
    "shop/modern.py": """
        from shop import orders

        def run() -> None:
            orders.place()
    """,
}

EXPECTED_EDGES = {
    ("shop.models", "shop.db"),
    ("shop.orders", "shop.models"),
    ("shop.orders", "shop.db"),
    ("shop.billing", "shop.models"),
    ("shop.billing", "shop.db"),
    ("shop.reports", "shop.orders"),
    ("shop.reports", "shop.billing"),
    ("shop.util.text", "shop.models"),
    ("shop.modern", "shop.orders"),
}
PARTIAL = {
    "shop/models.py",
    "shop/db.py",
    "shop/orders.py",
    "shop/billing.py",
    "shop/reports.py",
    "shop/util/text.py",
}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_python_2_package_has_its_import_graph(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collect_module, "MIN_FILES_FOR_POOL", 2)
    monkeypatch.setattr(collect_module, "MIN_BYTES_FOR_POOL", 0)
    root = write_tree(tmp_path / "src", PY2_TREE)
    settings = AnalysisSettings(jobs=jobs, cochange=False, cache_dir=tmp_path / "cache")
    analysis = analyze(root, settings)
    assert analysis.problems == ()
    assert set(analysis.imports.graph.edges()) == EXPECTED_EDGES
    assert {path for path, _ in analysis.partial} == PARTIAL
    assert all(reason.endswith(PARTIAL_ANALYSIS) for _, reason in analysis.partial)
    warning = f"6 files use Python 2 syntax: {PARTIAL_ANALYSIS}"
    assert analysis.warnings.count(warning) == 1
    assert {
        d.qualname for d in analysis.facts[analysis.modules.index("shop.models")].definitions
    } == {
        "Order",
        "Order.total",
    }
    cached = analyze(root, settings)
    assert cached.cache_hits == len(PY2_TREE)
    assert cached.facts == analysis.facts
    assert cached.warnings == analysis.warnings


def test_plan_and_reports_list_the_partial_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "src", {**PY2_TREE, "shop/broken.py": "def f(:\n"})
    out = tmp_path / "out"
    code = main(["decompose", str(root), "-o", str(out), "--no-cache", "--no-cochange"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"6 files use Python 2 syntax: {PARTIAL_ANALYSIS}" in captured.out
    assert "6 files analyzed in part" in captured.out
    plan = read_plan(out / "plan.yaml")
    assert {"shop.orders", "shop.models", "shop.reports"} <= set(plan.modules)
    assert {u.path for u in plan.unparseable if u.partial} == PARTIAL
    assert [u.path for u in plan.unparseable if not u.partial] == ["shop/broken.py"]
    markdown = (out / "report.md").read_text()
    skipped, partial = markdown.split("## Files that could not be analyzed", 1)[1].split(
        "Analyzed in part", 1
    )
    assert "`shop/broken.py`" in skipped and "shop/orders.py" not in skipped
    assert all(f"`{path}`" in partial for path in PARTIAL)
    html = (out / "report.html").read_text()
    assert "<b>6</b> files analyzed in part" in html and "<b>1</b> files not analyzed" in html
    report = json.loads((out / "report.json").read_text())
    reasons = {u["path"]: u["reason"] for u in report["plan"]["unparseable"]}
    assert reasons["shop/orders.py"].endswith(PARTIAL_ANALYSIS)


def test_plan_command_on_a_python_2_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {k: v for k, v in PY2_TREE.items() if k != "shop/modern.py"}
    root = write_tree(tmp_path / "src", files)
    plan_file = tmp_path / "plan.yaml"
    code = main(["plan", str(root), "-o", str(plan_file), "--no-cache", "--no-cochange", "-q"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    plan = read_plan(plan_file)
    assert set(plan.modules) >= {"shop.models", "shop.db", "shop.orders", "shop.billing"}


def test_analyze_lists_the_partial_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "src", PY2_TREE)
    assert main(["analyze", str(root), "--no-cache", "--no-cochange"]) == 0
    text = capsys.readouterr().out
    assert "6 files analyzed in part (imports and definitions, no calls):" in text
    assert "  shop/orders.py: Python 2 syntax at line " in text
    assert "could not be analyzed" not in text
    assert main(["analyze", str(root), "--no-cache", "--no-cochange", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {item["path"] for item in data["partially_analyzed"]} == PARTIAL
    assert data["problems"] == []
    assert {(e["source"], e["target"]) for e in data["edges"]} == EXPECTED_EDGES
