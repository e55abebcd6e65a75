"""The CI integration files: the GitHub Action, the pre-commit hooks and the GitLab CI snippet."""

from __future__ import annotations

import importlib.resources
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def vendored_schema(name: str) -> dict[str, Any]:
    resource = importlib.resources.files("check_jsonschema") / f"builtin_schemas/vendor/{name}"
    return json.loads(resource.read_text(encoding="utf-8"))


def schema_problems(document: Any, schema: dict[str, Any]) -> list[str]:
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", markdown, flags=re.M | re.S)


# ---------------------------------------------------------------------------- action.yml


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return load_yaml(ROOT / "action.yml")


def test_action_matches_the_github_actions_schema(action: dict[str, Any]) -> None:
    assert schema_problems(action, vendored_schema("github-actions.json")) == []


def test_the_action_schema_catches_mistakes(action: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(action))
    del broken["runs"]["steps"][1]["shell"]  # composite run steps need a shell
    broken["inputs"]["plan"]["defualt"] = "typo"
    assert len(schema_problems(broken, vendored_schema("github-actions.json"))) >= 2


def test_action_runs_check_and_uploads_sarif(action: dict[str, Any]) -> None:
    assert set(action["inputs"]) >= {"path", "plan", "baseline", "python-version"}
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    uses = [step["uses"] for step in steps if "uses" in step]
    # third-party actions pinned at least by major version
    assert all(re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", u) for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert re.search(r"monocut check \S+ --plan \S+ --baseline \S+", scripts)
    assert re.search(r"monocut report \S+ --plan \S+ --format sarif -o", scripts)
    assert re.search(r"monocut report \S+ --plan \S+ --format html", scripts)
    # the short "what changed" Markdown of the gate goes to the step summary, pass or fail
    gate = steps[-1]["run"]
    assert "--markdown monocut-summary.md || status=$?" in gate
    assert 'cat monocut-summary.md >> "$GITHUB_STEP_SUMMARY"' in gate
    assert gate.rstrip().endswith('exit "$status"')
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    # reports come before the gate, so they exist when it fails
    order = [step.get("run", step.get("uses", "")) for step in steps]
    assert [i for i, s in enumerate(order) if "monocut check" in s] == [len(order) - 1]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts through env, never pasted into the script text
            assert "${{" not in step["run"], step["run"]


def run_step(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A composite step's script, run by bash as the runner would, monocut on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-e", "-c", script],
        env={**os.environ, "PATH": path, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_action_steps_run_the_gate_and_fill_the_step_summary(
    action: dict[str, Any], tmp_path: Path
) -> None:
    code = tmp_path / "code"
    for relative, text in {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/views.py": "def view():\n    return 1\n",
        "shop/billing/__init__.py": "",
        "shop/billing/service.py": "def bill():\n    return 2\n",
    }.items():
        (code / relative).parent.mkdir(parents=True, exist_ok=True)
        (code / relative).write_text(text)
    plan = tmp_path / "plan.yaml"
    subprocess.run(
        [sys.executable, "-m", "monocut", "plan", str(code), "-o", str(plan), "--services", "2"]
        + ["--no-cochange", "--no-cache", "-q"],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "monocut", "check", str(code), "--plan", str(plan)]
        + ["--baseline", str(tmp_path / "baseline.json"), "--update-baseline", "--no-cache"],
        check=True,
        capture_output=True,
    )
    summary = tmp_path / "step-summary.md"
    env = {
        "MONOCUT_PATH": str(code),
        "MONOCUT_PLAN": str(plan),
        "MONOCUT_BASELINE": str(tmp_path / "baseline.json"),
        "MONOCUT_SARIF": "monocut.sarif",
        "MONOCUT_HTML": "monocut-report.html",
        "GITHUB_STEP_SUMMARY": str(summary),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    steps = {step.get("name", ""): step for step in action["runs"]["steps"]}
    report = next(step for name, step in steps.items() if name.startswith("Report"))
    gate = action["runs"]["steps"][-1]
    work = tmp_path / "work"
    work.mkdir()
    assert run_step(report["run"], env, work).returncode == 0
    assert json.loads((work / "monocut.sarif").read_text())["version"] == "2.1.0"
    assert (work / "monocut-report.html").read_text().startswith("<!DOCTYPE html>")
    passed = run_step(gate["run"], env, work)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert summary.read_text().startswith("## monocut architecture check passed")
    # a new cross-service import: the step fails with the gate's exit code, summary written
    views = code / "shop/orders/views.py"
    modules = {m for m in yaml.safe_load(plan.read_text())["services"][0]["modules"]}
    target = "shop.billing.service" if "shop.orders.views" in modules else "shop.orders.views"
    source = code / "shop/billing/service.py" if target == "shop.orders.views" else views
    source.write_text(source.read_text() + f"\nimport {target}\n")
    failed = run_step(gate["run"], env, work)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "## monocut architecture check failed" in summary.read_text()
    assert "New cross-service dependencies (1)" in summary.read_text()


# ---------------------------------------------------------------------------- pre-commit


@pytest.fixture(scope="module")
def hooks() -> list[dict[str, Any]]:
    return load_yaml(ROOT / ".pre-commit-hooks.yaml")


def test_pre_commit_hooks_have_the_required_keys(hooks: list[dict[str, Any]]) -> None:
    assert isinstance(hooks, list)
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
    by_id = {hook["id"]: hook for hook in hooks}
    assert len(by_id) == len(hooks)
    assert by_id["monocut-check"]["entry"] == "monocut check"
    assert by_id["monocut-score"]["entry"] == "monocut score"


def test_pre_commit_accepts_the_manifest() -> None:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed")
    from pre_commit.clientlib import load_manifest

    loaded = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert {hook["id"] for hook in loaded} == {"monocut-check", "monocut-score"}


# ---------------------------------------------------------------------------- docs/ci.md


@pytest.fixture(scope="module")
def ci_doc() -> str:
    return (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_gitlab_snippet_matches_the_gitlab_ci_schema(ci_doc: str) -> None:
    gitlab = [
        yaml.safe_load(block)
        for block in yaml_blocks(ci_doc)
        if "script" in block and "image" in block
    ]
    assert len(gitlab) == 1
    snippet = gitlab[0]
    assert schema_problems(snippet, vendored_schema("gitlab-ci.json")) == []
    job = snippet["monocut"]
    assert any(line.startswith("monocut check .") for line in job["script"])
    assert any("--format sarif" in line for line in job["script"])
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["paths"]


def test_workflow_and_pre_commit_examples_in_the_doc(ci_doc: str) -> None:
    documents = [yaml.safe_load(block) for block in yaml_blocks(ci_doc)]
    workflow = next(d for d in documents if "jobs" in d)
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    assert schema_problems(workflow, vendored_schema("github-workflows.json")) == []
    step = workflow["jobs"]["monocut"]["steps"][-1]
    action_inputs = set(load_yaml(ROOT / "action.yml")["inputs"])
    assert set(step["with"]) <= action_inputs
    config = next(d for d in documents if "repos" in d)
    hook_ids = {hook["id"] for hook in load_yaml(ROOT / ".pre-commit-hooks.yaml")}
    assert {hook["id"] for hook in config["repos"][0]["hooks"]} <= hook_ids
