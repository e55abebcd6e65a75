"""Project-wide import resolution on small source trees, one per import form."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.facts import ImportKind
from analyzer.imports import ImportCategory
from tests.trees import analyze_tree

BASE = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/db.py": "def query():\n    return 1\n\nengine = object()\n",
    "app/core/config.py": "SETTINGS = {}\n",
    "app/orders/__init__.py": "from .service import place_order\n\n__all__ = ['place_order']\n",
    "app/orders/service.py": "def place_order():\n    return 1\n",
    "app/orders/models.py": "class Order:\n    pass\n",
}


def edges_of(tmp_path: Path, source: str, files: dict[str, str] | None = None) -> set[str]:
    tree = {**BASE, **(files or {}), "app/orders/views.py": source}
    analysis = analyze_tree(tmp_path, tree)
    return set(analysis.imports.graph.successors("app.orders.views"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import app.core.db\n", {"app.core.db"}),
        ("import app.core.db as database\n", {"app.core.db"}),
        ("from app.core import db\n", {"app.core.db"}),
        ("from app.core.db import query\n", {"app.core.db"}),
        ("from app.core.db import query as q, engine\n", {"app.core.db"}),
        ("from . import models\n", {"app.orders.models"}),
        ("from .models import Order\n", {"app.orders.models"}),
        ("from .. import core\n", {"app.core"}),
        ("from ..core import config\n", {"app.core.config"}),
        ("from ..core.db import query\n", {"app.core.db"}),
        # A name re-exported through a package __init__: the package and the defining module.
        ("from app.orders import place_order\n", {"app.orders", "app.orders.service"}),
        ("from . import place_order\n", {"app.orders", "app.orders.service"}),
        ("from app.core.db import *\n", {"app.core.db"}),
        ("import app\n", {"app"}),
        ("def f():\n    from app.core import config\n", {"app.core.config"}),
    ],
)
def test_internal_import_forms(tmp_path: Path, source: str, expected: set[str]) -> None:
    assert edges_of(tmp_path, source) == expected


def test_relative_import_three_levels_up(tmp_path: Path) -> None:
    files = {
        "app/a/__init__.py": "",
        "app/a/b/__init__.py": "",
        "app/a/b/c.py": "from ...core.db import query\nfrom ... import core\n",
    }
    analysis = analyze_tree(tmp_path, {**BASE, **files})
    assert set(analysis.imports.graph.successors("app.a.b.c")) == {"app.core.db", "app.core"}


def test_relative_import_above_the_top_is_unresolved(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, {**BASE, "app/x.py": "from ... import nothing\n"})
    unresolved = analysis.imports.unresolved()
    assert [item.importer for item in unresolved] == ["app.x"]


def test_reexport_chain_through_two_packages(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "from .orders import place_order\n",
        "app/client.py": "from app import place_order\n",
    }
    analysis = analyze_tree(tmp_path, {**BASE, **files})
    assert set(analysis.imports.graph.successors("app.client")) == {"app", "app.orders.service"}
    (item,) = [r for r in analysis.imports.resolved if r.importer == "app.client"]
    assert item.symbol == "app.orders.service.place_order"


def test_stdlib_and_third_party_are_classified(tmp_path: Path) -> None:
    source = "import os.path\nimport json\nimport requests\nfrom yaml import safe_load\n"
    analysis = analyze_tree(tmp_path, {**BASE, "app/io.py": source})
    assert analysis.imports.external_imports(ImportCategory.STDLIB)["app.io"] == {"os", "json"}
    third = analysis.imports.external_imports(ImportCategory.THIRD_PARTY)["app.io"]
    assert third == {"requests", "yaml"}
    assert set(analysis.imports.graph.successors("app.io")) == set()


def test_edges_count_statements_and_kinds(tmp_path: Path) -> None:
    source = """
        from typing import TYPE_CHECKING
        from app.core import db
        from app.core.db import query, engine
        if TYPE_CHECKING:
            from app.core.db import Engine
        def later():
            import app.core.db
        try:
            from app.core.db import fast
        except ImportError:
            fast = None
    """
    analysis = analyze_tree(tmp_path, {**BASE, "app/user.py": source})
    data = analysis.imports.graph.edges["app.user", "app.core.db"]
    assert data["statements"] == 5
    assert data["kinds"] == {
        ImportKind.FALLBACK.value: 1,
        ImportKind.FUNCTION.value: 1,
        ImportKind.TOP_LEVEL.value: 2,
        ImportKind.TYPE_CHECKING.value: 1,
    }


def test_import_cycle_is_kept_in_the_graph(tmp_path: Path) -> None:
    files = {"app/a.py": "from app import b\n", "app/b.py": "from app import a\n"}
    analysis = analyze_tree(tmp_path, {**BASE, **files})
    graph = analysis.imports.graph
    assert graph.has_edge("app.a", "app.b") and graph.has_edge("app.b", "app.a")


def test_several_top_level_packages_and_loose_modules(tmp_path: Path) -> None:
    files = {
        "alpha/__init__.py": "",
        "alpha/x.py": "import beta.y\nimport tool\n",
        "beta/__init__.py": "",
        "beta/y.py": "",
        "tool.py": "from alpha import x\n",
    }
    analysis = analyze_tree(tmp_path, files)
    graph = analysis.imports.graph
    assert set(graph.successors("alpha.x")) == {"beta.y", "tool"}
    assert set(graph.successors("tool")) == {"alpha.x"}


def test_src_layout(tmp_path: Path) -> None:
    files = {
        "src/pkg/__init__.py": "",
        "src/pkg/a.py": "from pkg import b\n",
        "src/pkg/b.py": "",
        "pyproject.toml": "[project]\nname = 'pkg'\n",
    }
    analysis = analyze_tree(tmp_path, files)
    assert analysis.package_roots == ("src",)
    assert set(analysis.imports.graph.successors("pkg.a")) == {"pkg.b"}


def test_names_star_imported_through_packages_resolve_to_their_definition(tmp_path: Path) -> None:
    analysis = analyze_tree(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.core import *\nfrom pkg.extra import *\n",
            "pkg/core/__init__.py": "__all__ = ['Basic']\nfrom pkg.core.basic import *\n",
            "pkg/core/basic.py": "__all__ = ['Basic']\nclass Basic: ...\nclass Hidden: ...\n",
            "pkg/extra.py": "def helper(): ...\n",
            "app/__init__.py": "",
            "app/a.py": "from pkg import Basic, helper\n",
            "app/b.py": "from pkg import Basic, Hidden\n",
        },
    )
    symbols = {
        (item.importer, item.fact.name): item.symbol
        for item in analysis.imports.resolved
        if item.importer.startswith("app.")
    }
    assert symbols == {
        ("app.a", "Basic"): "pkg.core.basic.Basic",
        ("app.a", "helper"): "pkg.extra.helper",
        ("app.b", "Basic"): "pkg.core.basic.Basic",
        ("app.b", "Hidden"): "pkg.Hidden",  # not exported by __all__: not followed
    }
