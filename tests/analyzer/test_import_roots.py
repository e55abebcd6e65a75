"""Implicit import roots: a project run from its own directory, and Python 2's implicit
relative imports, resolve to the project's modules; libraries named like local modules do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.calls import CallGraph
from analyzer.imports import ImportCategory
from tests.trees import analyze_tree

# A Django project as label-studio ships it: manage.py in the package directory, apps
# imported as top-level packages, sometimes also through the package name.
SCRIPT_ROOT = {
    "studio/__init__.py": "",
    "studio/manage.py": "import sys\n",
    "studio/core/__init__.py": "",
    "studio/core/utils.py": """
        def load(x):
            return x

        class Cache:
            def __init__(self):
                self.items = {}
    """,
    "studio/projects/__init__.py": "",
    "studio/projects/models.py": """
        from core.utils import load
        from studio.core.utils import Cache

        def project():
            return load(Cache())
    """,
    "studio/tasks/__init__.py": "",
    "studio/tasks/views.py": """
        import core.utils
        import projects.models as pm

        def view():
            core.utils.load(1)
            return pm.project()
    """,
}

# Python 2: `import helpers` inside pkg/ means pkg.helpers.
PY2_IMPLICIT = {
    "legacy/__init__.py": "",
    "legacy/helpers.py": "def fmt(x):\n    return x\n",
    "legacy/store.py": "def save(x):\n    return x\n",
    "legacy/main.py": """
        import helpers
        from store import save

        def run():
            return save(helpers.fmt(1))
    """,
}


def internal_edges(analysis) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return set(analysis.imports.graph.edges())


def callees(calls: CallGraph, caller: str) -> set[str]:
    return set(calls.adjacency().get(caller, ()))


def test_a_project_run_from_its_own_directory(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, SCRIPT_ROOT, cochange=False)
    edges = internal_edges(analysis)
    assert ("studio.projects.models", "studio.core.utils") in edges
    assert ("studio.tasks.views", "studio.core.utils") in edges
    assert ("studio.tasks.views", "studio.projects.models") in edges
    assert "core" not in {n for names in analysis.third_party_imports().values() for n in names}
    assert callees(analysis.calls, "studio.projects.models.project") >= {
        "studio.core.utils.load",
        "studio.core.utils.Cache.__init__",
    }
    assert callees(analysis.calls, "studio.tasks.views.view") >= {
        "studio.core.utils.load",
        "studio.projects.models.project",
    }


def test_python_2_implicit_relative_imports(tmp_path: Path) -> None:
    analysis = analyze_tree(tmp_path, PY2_IMPLICIT, cochange=False)
    assert internal_edges(analysis) >= {
        ("legacy.main", "legacy.helpers"),
        ("legacy.main", "legacy.store"),
    }
    assert callees(analysis.calls, "legacy.main.run") >= {"legacy.helpers.fmt", "legacy.store.save"}


@pytest.mark.parametrize(
    ("files", "importer", "library"),
    [
        pytest.param(
            {  # a wrapper module named after the library it wraps imports the library
                "app/__init__.py": "",
                "app/machinery/__init__.py": "",
                "app/machinery/google.py": "import google.cloud\n",
                "app/machinery/openai.py": "from openai import OpenAI\n",
                "app/machinery/base.py": "import requests\n",
            },
            "app.machinery.google",
            "google",
            id="wrapper-named-after-its-library",
        ),
        pytest.param(
            {  # one library name shadowed by a local module is not a root
                "app/__init__.py": "",
                "app/utils/__init__.py": "",
                "app/utils/requests.py": "def get():\n    return 1\n",
                "app/utils/http.py": "import requests\n",
            },
            "app.utils.http",
            "requests",
            id="one-shadowed-name",
        ),
        pytest.param(
            {  # the names imported are not what the local module defines
                "app/__init__.py": "",
                "app/engines/__init__.py": "",
                "app/engines/trino.py": "class TrinoSpec:\n    pass\n",
                "app/engines/presto.py": "class PrestoSpec:\n    pass\n",
                "app/engines/base.py": (
                    "from trino.auth import BasicAuth\nfrom presto import connect\n"
                ),
            },
            "app.engines.base",
            "trino",
            id="names-not-defined-locally",
        ),
        pytest.param(
            {  # the standard library is never re-rooted
                "app/__init__.py": "",
                "app/logging.py": "def setup():\n    return 1\n",
                "app/email.py": "def send():\n    return 1\n",
                "app/main.py": "import logging\nimport email\n",
            },
            "app.main",
            "logging",
            id="stdlib-names",
        ),
    ],
)
def test_libraries_named_like_local_modules_stay_external(
    tmp_path: Path, files: dict[str, str], importer: str, library: str
) -> None:
    analysis = analyze_tree(tmp_path, files, cochange=False)
    found = [
        r
        for r in analysis.imports.resolved
        if r.importer == importer and r.fact.module.split(".")[0] == library
    ]
    assert found and all(
        r.category in (ImportCategory.THIRD_PARTY, ImportCategory.STDLIB) for r in found
    )
    assert not any(r.fact.root for r in analysis.imports.resolved)
