"""`monocut check`: the CI gate against a baseline of cross-service dependencies.

Registered at the end of monocut.cli with `app.command("check")(gate.check_command)` (this
module imports monocut.cli at its own end, so either can be imported first); errors raised here
(UserError, BaselineError, PlanError, ...) are mapped to one line and exit code 2 by
`monocut.cli.main`. Exit codes: 0 passed (or warn mode, or baseline written), 1 the gate failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from analyzer.baseline import (
    Baseline,
    BaselineError,
    CrossingKey,
    GateResult,
    GateSettings,
    compare,
    crossing_sites,
    current_state,
    cycle_text,
    dump_baseline,
    load_baseline,
)
from analyzer.plan import DecompositionPlan, read_plan
from generators.change_summary import change_markdown
from monocut import output
from monocut.config import MonocutConfig


class GateMode(StrEnum):
    fail = "fail"
    warn = "warn"


PlanOption = Annotated[
    Path, typer.Option("--plan", help="The plan that fixes the intended services.")
]
BaselineOption = Annotated[
    Path,
    typer.Option(
        "--baseline", help="Baseline file (JSON) of the accepted cross-service dependencies."
    ),
]
UpdateBaseline = Annotated[
    bool,
    typer.Option(
        "--update-baseline", help="Write the current state to the baseline file and pass."
    ),
]
Mode = Annotated[
    GateMode | None,
    typer.Option(
        "--mode", help="fail: exit 1 on a violation; warn: report it and pass (default fail)."
    ),
]
IcpThreshold = Annotated[
    float | None,
    typer.Option(
        "--icp-threshold",
        min=0.0,
        help="Largest allowed rise of ICP over the baseline, as a share (default 0.02).",
    ),
]


def gate_settings(
    mode: str | None = None, icp_threshold: float | None = None, base: GateSettings | None = None
) -> GateSettings:
    """`base` (defaults, or what `[tool.monocut.check]` says) overridden by the flags given."""
    base = base or GateSettings()
    return GateSettings(
        icp_threshold=base.icp_threshold if icp_threshold is None else icp_threshold,
        mode=base.mode if mode is None else str(mode),
    )


def plan_and_config(path: Path, plan_file: Path) -> tuple[DecompositionPlan, MonocutConfig]:
    """The plan as stored, and the project's configuration with the excludes the plan was made
    with (as `monocut score` reads the code). Modules the plan names that the code no longer
    has are not an error for the gate: they simply depend on nothing."""
    plan = read_plan(plan_file, check_dependencies=False)
    recorded = plan.settings
    config = project_config(path).with_overrides(
        exclude=tuple(recorded.get("excludes", ())) or None,
        include_tests=recorded.get("include_tests"),
    )
    return plan, config


def read_baseline(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BaselineError(str(path), "not a monocut baseline (not UTF-8 text)") from None
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from None
    return load_baseline(text, str(path))


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def state_summary(state: Baseline) -> str:
    """`58 cross-service dependencies (32 module pairs), 1 service cycle, ICP 0.2814`."""
    pairs = len({(k.from_module, k.to_module) for k in state.dependencies})
    crossing = plural(
        len(state.dependencies), "cross-service dependency", "cross-service dependencies"
    )
    return (
        f"{crossing} "
        f"({plural(pairs, 'module pair')}), {plural(len(state.cycles), 'service cycle')}, "
        f"ICP {state.icp:.4f}"
    )


def result_lines(
    result: GateResult, sites: Mapping[CrossingKey, str], current: Baseline, baseline_file: Path
) -> list[str]:
    """The concise diff: what is new, what ICP did, what the baseline no longer needs."""
    lines: list[str] = []
    if result.plan_changed:
        lines.append(
            "note: the plan's services changed since the baseline was written; "
            "run --update-baseline once the new plan is accepted"
        )
    for key in result.new_dependencies:
        where = f"  [{sites[key]}]" if key in sites else ""
        lines.append(f"new cross-service dependency: {key}{where}")
    for cycle in result.new_cycles:
        lines.append(f"new service cycle: {cycle_text(cycle)}")
    verdict = " (above the threshold)" if result.icp_exceeded else ""
    lines.append(
        f"ICP {result.icp_before:.4f} -> {result.icp_after:.4f} "
        f"({result.icp_delta:+.4f}, threshold +{result.settings.icp_threshold}){verdict}"
    )
    for key in result.stale_dependencies:
        lines.append(f"no longer present: {key}")
    for cycle in result.stale_cycles:
        lines.append(f"no longer present: service cycle {cycle_text(cycle)}")
    if result.stale:
        lines.append(
            f"the baseline can shrink: run with --update-baseline to rewrite {baseline_file}"
        )
    if result.failed:
        lines.append(f"check failed: {plural(len(result.violations), 'violation')} of the baseline")
    elif result.violations:
        lines.append(
            f"check passed in warn mode with {len(result.violations)} violation(s) of the baseline"
        )
    else:
        lines.append(f"check passed: {state_summary(current)}, nothing new")
    return lines


def check_command(
    path: PathArg,
    plan_file: PlanOption,
    baseline: BaselineOption,
    update_baseline: UpdateBaseline = False,
    mode: Mode = None,
    icp_threshold: IcpThreshold = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            help="Also write what changed since the baseline as short Markdown (for a "
            "pull-request comment or a CI step summary).",
        ),
    ] = None,
    jobs: Jobs = None,
    cache_dir: CacheDir = None,
    no_cache: NoCache = False,
    quiet: Quiet = False,
) -> int:
    """The CI gate: fail when a cross-service dependency or a service cycle appears that the
    baseline does not have, or ICP rises more than the threshold."""
    plan, config = plan_and_config(path, plan_file)
    settings = gate_settings(mode, icp_threshold, base=config.check)
    if not update_baseline and not baseline.exists():
        raise UserError(
            f"baseline {baseline} does not exist; create it with "
            f"`monocut check {path} --plan {plan_file} --baseline {baseline} --update-baseline`"
        )
    stored = None if update_baseline else read_baseline(baseline)
    analysis = run_analysis(
        path, config, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, quiet=quiet
    )
    current = current_state(analysis, plan)
    console = output.console(quiet)
    if stored is None:
        write_text(baseline, dump_baseline(current))
        if markdown is not None:
            write_text(markdown, f"## monocut baseline written\n\n{state_summary(current)}.\n")
        console.print(f"wrote {baseline}: {state_summary(current)}", markup=False)
        return 0
    result = compare(stored, current, settings)
    sites = crossing_sites(analysis, result.new_dependencies)
    lines = result_lines(result, sites, current, baseline)
    if markdown is not None:
        write_text(markdown, change_markdown(result, stored, current, plan.partition(), sites))
    if quiet and result.violations:
        # --quiet keeps the reasons of a failure: a CI log must say why the gate failed
        failing = [line for line in lines if line.startswith(("new ", "ICP ", "check "))]
        output.console(False).print("\n".join(failing), markup=False, soft_wrap=True)
    else:
        for line in lines:
            console.print(line, markup=False, soft_wrap=True)
    return 1 if result.failed else 0


# Imported last on purpose: monocut.cli registers `check_command` at its own end, so whichever
# of the two modules is imported first, every name below exists by the time it is needed (the
# annotations above are strings, resolved by typer when the command line is built).
from monocut.cli import (  # noqa: E402
    CacheDir,
    Jobs,
    NoCache,
    PathArg,
    Quiet,
    UserError,
    project_config,
    run_analysis,
    write_text,
)
