"""Session fixtures: each shared project (projects.py) is written and analyzed once."""

from __future__ import annotations

import pytest

from analyzer.pipeline import Analysis
from tests.analyzer.signals.projects import DJANGO_SHOP, SQLALCHEMY_APP
from tests.trees import analyze_tree


@pytest.fixture(scope="session")
def django_shop(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("django_shop"), DJANGO_SHOP, cochange=False)


@pytest.fixture(scope="session")
def sqlalchemy_app(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return analyze_tree(tmp_path_factory.mktemp("sqlalchemy_app"), SQLALCHEMY_APP, cochange=False)
