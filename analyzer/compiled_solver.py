"""Which points-to solver to run: the Cython build of analyzer/points_to.py when there is one
built from the current source, else the module itself.

setup.py compiles a copy of points_to.py (typed by points_to.pxd) as
`analyzer._points_to_compiled`, ending in `COMPILED_FROM`, the sha256 of the source it was
made from. A build left over from an older source is never used: the solver's results would
then not be the code's. Both give identical results (tests/analyzer/test_compiled_solver.py);
the compiled one is about 1.4 times as fast.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import import_module
from pathlib import Path
from types import ModuleType

from analyzer import points_to

COMPILED_MODULE = "analyzer._points_to_compiled"


@functools.cache
def compiled_solver_module() -> ModuleType | None:
    """The compiled solver if it is built from the current points_to.py, else None."""
    try:
        compiled = import_module(COMPILED_MODULE)
    except ImportError:
        return None
    source = Path(points_to.__file__).read_bytes()
    if getattr(compiled, "COMPILED_FROM", None) != hashlib.sha256(source).hexdigest():
        return None
    return compiled


def solver_class() -> type[points_to.PointsToSolver]:
    """The PointsToSolver class to use (see the module docstring)."""
    compiled = compiled_solver_module()
    return compiled.PointsToSolver if compiled is not None else points_to.PointsToSolver


def solver_description() -> str:
    """Which solver runs, for --verbose and the benchmarks; when it is the Python one, how
    to get the compiled one."""
    if compiled_solver_module() is not None:
        return "call-graph solver: compiled (Cython)"
    return (
        "call-graph solver: Python, about 1.4 times slower (no compiled build of this "
        "source: installing monocut where a C compiler is available builds one)"
    )
