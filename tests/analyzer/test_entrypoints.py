"""Entry points found in the code, recorded in the plan, and explained in each service README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2
import pytest

from analyzer.entrypoints import EntryPoint
from analyzer.plan import PlanError, plan_from_dict, plan_to_dict
from analyzer.planning import propose_plan
from generators import docker, runtime
from generators.rendering import template_environment
from tests.trees import analyze_tree

TREE = {
    "shop/__init__.py": "",
    "shop/__main__.py": "from shop.cli import main\n\nmain()\n",
    "shop/web.py": "from fastapi import FastAPI as API\n\napi = API()\n",
    "shop/legacy.py": "import flask\n\napp = flask.Flask(__name__)\n",
    "shop/wsgi.py": (
        "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n"
    ),
    "shop/tasks.py": "from celery import Celery\n\ncelery = Celery('shop')\n",
    "shop/cli.py": (
        "import click\n\n\n@click.group()\ndef main():\n    pass\n\n\n"
        "@main.command()\ndef sub():\n    pass\n"
    ),
    "shop/tool.py": "import typer\n\napp = typer.Typer()\n",
    # look-alikes: a local class named like a framework's, an app made inside a function
    "shop/fake.py": "class Flask:\n    pass\n\n\napp = Flask()\n",
    "shop/factory.py": (
        "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
        "    return app\n"
    ),
}


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory):
    return analyze_tree(tmp_path_factory.mktemp("entry"), TREE, cochange=False)


def test_entry_points_are_found_by_what_the_code_calls(analysis) -> None:
    assert [str(e) for e in analysis.entry_points] == [
        "asgi shop.web:api",
        "wsgi shop.legacy:app",
        "wsgi shop.wsgi:application",
        "celery shop.tasks:celery",
        "cli shop.cli:main",
        "cli shop.tool:app",
        "main shop",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wsgi shop.web:app", EntryPoint("wsgi", "shop.web", "app")),
        ("main shop", EntryPoint("main", "shop")),
        ("daemon shop.web:app", None),
        ("wsgi shop web:app", None),
        ("wsgi shop.web:1app", None),
        ("", None),
    ],
)
def test_parse(text: str, expected: EntryPoint | None) -> None:
    assert EntryPoint.parse(text) == expected
    if expected is not None:
        assert str(expected) == text


def test_the_plan_records_each_services_entry_points(analysis, tmp_path: Path) -> None:
    plan, _ = propose_plan(analysis, plan_dir=tmp_path)
    recorded = {e for s in plan.services for e in s.entry_points}
    assert recorded == {str(e) for e in analysis.entry_points} - {
        str(e) for e in analysis.entry_points if e.module in plan.shared.modules
    }
    for service in plan.services:
        assert all(EntryPoint.parse(e).module in service.modules for e in service.entry_points)
    assert plan_from_dict(plan_to_dict(plan)) == plan


def test_a_bad_entry_point_in_a_plan_is_reported(analysis, tmp_path: Path) -> None:
    plan, _ = propose_plan(analysis, plan_dir=tmp_path)
    data = plan_to_dict(plan)
    data["services"][0]["entry_points"] = ["daemon x:y", "wsgi ok.module:app"]
    with pytest.raises(PlanError, match="daemon x:y"):
        plan_from_dict(data)


@pytest.mark.parametrize(
    ("entry", "command"),
    [
        ("asgi shop.web:api", ["uvicorn", "shop.web:api", "--host", "0.0.0.0", "--port", "8001"]),
        (
            "wsgi shop.wsgi:application",
            ["gunicorn", "--bind", "0.0.0.0:8001", "shop.wsgi:application"],
        ),
        (
            "celery shop.tasks:celery",
            ["celery", "--app", "shop.tasks:celery", "worker", "--loglevel", "INFO"],
        ),
        ("cli shop.cli:main", ["python", "-c", "from shop.cli import main; main()"]),
        ("main shop", ["python", "-m", "shop"]),
        ("nonsense", None),
    ],
)
def test_entry_commands(entry: str, command: list[str] | None) -> None:
    assert runtime.entry_command(entry, 8001) == command


def test_the_readme_says_how_to_run_it_or_that_nothing_was_found(analysis, tmp_path: Path) -> None:
    plan, _ = propose_plan(analysis, plan_dir=tmp_path)
    templates: jinja2.Environment = template_environment()
    service = next(s for s in plan.services if s.entry_points)
    readme = docker.service_readme(plan, service, templates)
    first = service.entry_points[0]
    assert f"`{first}`: run with `" in readme
    assert " ".join(runtime.entry_command(first, service.port)) in readme
    bare = dataclasses.replace(service, entry_points=())
    readme = docker.service_readme(
        dataclasses.replace(
            plan, services=tuple(bare if s is service else s for s in plan.services)
        ),
        bare,
        templates,
    )
    assert "TODO: no entry point was found" in readme
