"""`monocut report --format sarif` and `monocut export` through the CLI, on sample_monolith."""

from __future__ import annotations

import configparser
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from monocut.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"
SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan = tmp_path_factory.mktemp("plan") / "plan.yaml"
    assert main(["plan", str(SAMPLE), "-o", str(plan), "--no-cache", "-q"]) == 0
    return plan


def test_sarif_report_locates_every_crossing_and_validates(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "monocut.sarif"
    args = ["report", str(SAMPLE), "--plan", str(plan_file), "--format", "sarif", "-o", str(out)]
    assert main([*args, "--no-cache", "-q"]) == 0
    log = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert results, "sample_monolith's plan has cross-service dependencies"
    rules = {r["ruleId"] for r in results}
    assert "MC001" in rules and "MC002" in rules  # orders <-> payments is a cycle
    kinds = set()
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        path = SAMPLE / location["artifactLocation"]["uri"]
        properties = result["properties"]
        kinds.add(properties["kind"])
        assert path.as_posix().endswith(properties["sourceModule"].replace(".", "/") + ".py") or (
            path.name == "__init__.py"
        )
        line = location.get("region", {}).get("startLine")
        if properties["kind"] == "import":  # the line is the import statement itself
            text = path.read_text(encoding="utf-8").splitlines()[line - 1]
            assert "import" in text, (path, line, text)
            assert properties["targetModule"].rpartition(".")[2] in text, (path, line, text)
        elif properties["kind"] == "call":  # the line holds a call
            assert "(" in path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert {"import", "call"} <= kinds
    again = tmp_path / "again.sarif"
    args[-1] = str(again)
    assert main([*args, "--no-cache", "-q"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_export_importlinter_and_tach(plan_file: Path, tmp_path: Path) -> None:
    contracts = tmp_path / ".importlinter"
    assert main(["export", str(plan_file), "--format", "importlinter", "-o", str(contracts)]) == 0
    parser = configparser.ConfigParser()
    parser.read(contracts, encoding="utf-8")
    assert parser["importlinter"]["root_packages"].split() == ["shop"]
    assert any(section.startswith("importlinter:contract:") for section in parser.sections())
    tach = tmp_path / "tach.toml"
    assert main(["export", str(plan_file), "--format", "tach", "-o", str(tach)]) == 0
    assert tomllib.loads(tach.read_text(encoding="utf-8"))["modules"]


def test_export_rejects_a_bad_format_in_one_line(plan_file: Path, capsys) -> None:
    assert main(["export", str(plan_file), "--format", "helm"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "helm" in err
