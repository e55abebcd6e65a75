"""Helpers for tests: write a small source tree into a temporary directory and analyze it."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from analyzer.calls import build_call_graph
from analyzer.collect import collect_facts
from analyzer.discover import discover
from analyzer.imports import resolve_imports
from analyzer.pipeline import Analysis, AnalysisSettings, analyze
from analyzer.signals.code_index import CodeIndex


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `relative path -> source` under `root` (text is dedented) and return `root`."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def analyze_tree(root: Path, files: Mapping[str, str | bytes], **settings: object) -> Analysis:
    """Write a tree and run the whole analysis on it, in process and without a cache."""
    write_tree(root, files)
    return analyze(root, AnalysisSettings(jobs=1, **settings))  # type: ignore[arg-type]


def code_index_of(analysis: Analysis) -> CodeIndex:
    """The CodeIndex the analysis's signals were read from, built again from its tree (an
    Analysis keeps no data-flow facts, which CodeIndex reads)."""
    imports = resolve_imports(collect_facts(discover(analysis.root).files, jobs=1).facts)
    calls, _ = build_call_graph(imports)
    return CodeIndex(imports, calls.classes)
