"""The jinja2 environment for the text templates (Dockerfile, README, service entrypoint).

Templates are looked up by file name, first in a user's directory, then in the package's
`templates/`. Values from the plan reach a template only through a filter that embeds them
safely for the target language, never raw:

- `py`:   a Python literal (`repr` of plain data), which evaluates back to the same value;
- `json`: JSON text (for exec-form arrays in a Dockerfile);
- `code`: a Markdown code span that no backtick or newline in the value can leave.
"""

from __future__ import annotations

import json
import math
import pprint
import re
from pathlib import Path
from typing import Any

import jinja2

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAMES = ("Dockerfile.j2", "README.md.j2", "service_main.py.j2")

_PLAIN = (str, int, float, bool, type(None))


def _check_plain(value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError(f"cannot embed {value!r} as a Python literal")
    if isinstance(value, _PLAIN):
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_plain(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _check_plain(key)
            _check_plain(item)
        return
    raise TypeError(f"cannot embed a {type(value).__name__} as a Python literal")


def python_literal(value: Any) -> str:
    """`value` (plain data only) as Python source that evaluates back to it."""
    _check_plain(value)
    if isinstance(value, tuple):
        value = list(value)
    return pprint.pformat(value, width=88, sort_dicts=True)


def json_text(value: Any) -> str:
    """`value` as compact one-line JSON (unlike jinja's `tojson`, no HTML escaping)."""
    return json.dumps(value, ensure_ascii=False)


def markdown_code(value: Any) -> str:
    """`value` as one inline Markdown code span, with unprintable characters escaped."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def template_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """A strict environment: user templates first, then the package's own."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise ValueError(f"templates directory {str(templates_dir)!r} does not exist")
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["py"] = python_literal
    environment.filters["json"] = json_text
    environment.filters["code"] = markdown_code
    return environment


def render(environment: jinja2.Environment, template: str, /, **context: Any) -> str:
    """Render the named template, ending the text with exactly one newline."""
    text = environment.get_template(template).render(**context)
    return text.rstrip("\n") + "\n"
