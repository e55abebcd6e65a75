"""Dockerfiles (hadolint, structure), requirements, .dockerignore and the service entrypoint."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from analyzer.plan import DecompositionPlan
from generators import docker, runtime
from generators.rendering import template_environment
from tests.validators import hadolint_binary

from .conftest import sample_plan


def parse(text: str) -> list[dict]:
    return DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8"))).structure


def instructions(text: str, name: str) -> list[str]:
    return [i["value"] for i in parse(text) if i["instruction"] == name]


def test_every_dockerfile_passes_hadolint(artifacts) -> None:
    _, out = artifacts
    dockerfiles = sorted((out / "services").glob("*/Dockerfile"))
    assert len(dockerfiles) == 3
    completed = subprocess.run(
        [hadolint_binary(), "--no-color", *map(str, dockerfiles)],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip() == "", completed.stdout


def test_hadolint_is_really_checking(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nADD . /app\nRUN pip install flask\nCMD python app.py\n")
    completed = subprocess.run(
        [hadolint_binary(), "--no-color", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode != 0
    assert "DL3020" in completed.stdout  # ADD instead of COPY


def test_dockerfile_structure(plan: DecompositionPlan) -> None:
    templates = template_environment()
    for service in plan.services:
        text = docker.dockerfile(plan, service, templates)
        structure = parse(text)
        froms = instructions(text, "FROM")
        assert len(froms) >= 2
        for base in froms:
            image = base.split()[0]
            assert image == "python:3.12-slim"
        assert not instructions(text, "ADD")
        users = instructions(text, "USER")
        final_from = max(i for i, ins in enumerate(structure) if ins["instruction"] == "FROM")
        final_users = [
            ins["value"] for ins in structure[final_from:] if ins["instruction"] == "USER"
        ]
        assert users and final_users, "the final stage sets a USER"
        uid = final_users[-1].split(":")[0]
        assert uid.isdigit() and int(uid) != 0 and int(uid) == runtime.APP_UID
        assert instructions(text, "EXPOSE") == [str(service.port)]
        (healthcheck,) = instructions(text, "HEALTHCHECK")
        exec_form = json.loads(healthcheck.split(" CMD ", 1)[1])
        assert exec_form == runtime.health_command(service.port)
        (command,) = instructions(text, "CMD")
        assert json.loads(command) == ["python", "/app/service_main.py"]
        runs = " ".join(instructions(text, "RUN"))
        assert "--no-cache-dir" in runs
        assert "useradd" in runs and "groupadd" in runs
        for env in instructions(text, "ENV") + instructions(text, "ARG"):
            assert not any(word in env.upper() for word in ("SECRET", "PASSWORD", "TOKEN"))
        assert text.endswith("\n") and "latest" not in text


def test_health_probe_code_is_valid_python() -> None:
    compile(runtime.health_probe_code(8001), "<healthcheck>", "exec")


@pytest.mark.parametrize("version", ["latest", "3", "3.11\nRUN curl x", "2.7", "", "3.11-alpine"])
def test_bad_python_version_is_rejected(version: str) -> None:
    plan = sample_plan()
    bad = dataclasses.replace(plan, source=dataclasses.replace(plan.source, python_version=version))
    with pytest.raises(ValueError, match="python_version"):
        docker.dockerfile(bad, bad.services[0], template_environment())


def test_requirements_merge_sort_dedupe_and_reject_options(plan: DecompositionPlan) -> None:
    text = docker.service_requirements(plan, plan.service("orders"))
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == ["attrs", "PyYAML>=6", "requests>=2.31"]
    accepted, rejected = docker.split_requirements(
        [
            "b",
            "a",
            "a",
            "  ",
            "# c",
            "--index-url http://evil",
            "x\n-e .",
            "ok ; python_version>'3'",
        ]
    )
    assert accepted == ("a", "b", "ok ; python_version>'3'")
    assert rejected == ("--index-url http://evil", "x\n-e .")


def test_dockerignore_allows_only_what_the_image_copies(plan: DecompositionPlan) -> None:
    lines = docker.dockerignore(plan, plan.services[0]).splitlines()
    assert "**" in lines
    assert {"!requirements.txt", "!service_main.py", "!src"} <= set(lines)


def test_service_main_compiles_and_embeds_plan_data(plan: DecompositionPlan) -> None:
    service = plan.service("orders")
    text = docker.service_main(plan, service, template_environment())
    tree = ast.parse(text)
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert constants["SERVICE"] == "orders"
    assert constants["MODULES"] == sorted(service.modules)
    assert constants["API"] == list(service.api)
    assert constants["DEFAULT_PORT"] == 8001
    assert constants["PEERS"] == {"billing": "BILLING_URL", "catalog": "CATALOG_URL"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str, deadline: float) -> tuple[int, dict]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def serve(entrypoint: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(entrypoint)],
        env={"PATH": "/usr/bin:/bin", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_service_main_serves_health_ready_and_description(artifacts) -> None:
    _, out = artifacts
    port = free_port()
    process = serve(
        out / "services/orders/service_main.py",
        {"PORT": str(port), "BILLING_URL": "http://billing:8002"},
    )
    try:
        deadline = time.monotonic() + 15
        base = f"http://127.0.0.1:{port}"
        assert get_json(base + "/healthz", deadline) == (200, {"status": "ok"})
        assert get_json(base + "/readyz", deadline)[0] == 200
        status, body = get_json(base + "/", deadline)
        assert status == 200
        assert body["service"] == "orders"
        assert body["modules"] == ["shop.orders", "shop.orders.models"]
        assert body["api"] == ["shop.orders.models.Order"]
        assert body["peers"] == {"billing": "http://billing:8002", "catalog": ""}
        # the Dockerfile's own health check passes against the running service
        probe = subprocess.run(
            [sys.executable, "-c", runtime.health_probe_code(8001)],
            env={"PORT": str(port)},
            timeout=10,
        )
        assert probe.returncode == 0
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_readme_describes_service(artifacts) -> None:
    _, out = artifacts
    text = (out / "services/catalog/README.md").read_text()
    assert text.startswith("# catalog\n")
    assert "`shop.catalog.search`" in text and "`shop.common`" in text
    assert "`shop.catalog.missing`" in text.split("Not found", 1)[1]
    assert "docker build -t catalog:" in text
    assert "Called by: `orders`." in text
    orders = (out / "services/orders/README.md").read_text()
    assert "`BILLING_URL`" in orders and "`shop.orders.models.Order`" in orders
