"""The data models of a project: ORM model classes, tables, and Django apps.

A *model* is a class whose ancestors include an ORM's model base (Django's `models.Model`,
SQLAlchemy's `DeclarativeBase`, Flask-SQLAlchemy's `db.Model`, peewee, SQLModel...) or that
declares `__tablename__`; a bare SQLAlchemy `Table("name", metadata, ...)` is a model too.
Each model has the table it is stored in (Django's `Meta.db_table` or `<app_label>_<name>`,
SQLAlchemy's `__tablename__`), so raw SQL can be tied back to it, and for Django the app label
that `"app.Model"` strings use.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analyzer.facts import DefinitionKind
from analyzer.signals.code_index import CodeIndex, expression_path, literal_string

#: Outside base classes that make a subclass an ORM model (matched on the full import path).
MODEL_BASES = frozenset(
    {
        "django.db.models.Model",
        "django.db.models.base.Model",
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlmodel.SQLModel",
        "peewee.Model",
        "tortoise.models.Model",
        "tortoise.Model",
        "mongoengine.Document",
        "mongoengine.DynamicDocument",
        "ormar.Model",
        "pony.orm.core.Entity",
    }
)
#: An attribute of an outside object used as a base: `db.Model` of Flask-SQLAlchemy,
#: `Base = declarative_base()` of SQLAlchemy (the solver names them by their import path).
_MODEL_BASE_PATTERN = re.compile(
    r"^(flask_sqlalchemy|sqlalchemy|flask_appbuilder|pony)\b.*\.(Model|Base|Entity)$|"
    r"declarative_base(\(\))?$"
)
APP_CONFIG_BASES = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})
#: SQLAlchemy 2 bases whose direct subclass is the project's declarative base, not a model.
DECLARATIVE_BASES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBaseNoMeta",
    }
)


@dataclass(frozen=True)
class DataModel:
    """One model: `name` is the class's full dotted name (or `table:<name>` for a bare
    SQLAlchemy Table), `module` where it is defined, `table` its table name."""

    name: str
    module: str
    table: str
    orm: str  # "django", "sqlalchemy", "other"
    abstract: bool = False
    app_label: str | None = None

    @property
    def class_name(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True)
class ModelCatalog:
    """Every model of a project, with the lookups the recognizers need."""

    models: Mapping[str, DataModel] = field(default_factory=dict)
    #: Django app label -> the app's package (from AppConfig classes, else model modules)
    app_packages: Mapping[str, str] = field(default_factory=dict)

    def by_class_name(self, name: str, ignore_case: bool = False) -> list[DataModel]:
        if ignore_case:
            name = name.lower()
            return [m for m in self.models.values() if m.class_name.lower() == name]
        return [m for m in self.models.values() if m.class_name == name]

    def by_table(self, table: str) -> list[DataModel]:
        return [m for m in self.models.values() if m.table == table]

    def by_label(self, reference: str, near: str | None = None) -> DataModel | None:
        """The model an `"app_label.ModelName"` string (or a bare `"ModelName"`, looked up
        near the module `near` first) names, as Django resolves it; None when unknown."""
        label, _, name = reference.rpartition(".")
        # Django ignores the case; concrete models come first, but only among the models
        # of the app the label names (an abstract model of that app beats another app's)
        candidates = self.by_class_name(name, ignore_case=True)
        if not candidates:
            return None
        if label:
            labelled = [m for m in candidates if m.app_label == label]
            if labelled:
                candidates = labelled
            elif label in self.app_packages:
                package = self.app_packages[label]
                inside = [m for m in candidates if m.module.startswith(package + ".")]
                candidates = inside or candidates
        elif near is not None:
            package = near.rpartition(".")[0]
            close = [m for m in candidates if m.module.rpartition(".")[0] == package]
            candidates = close or candidates
        return min(candidates, key=lambda m: (m.abstract, m.name.count("."), m.name))

    def concrete_descendants(self, code: CodeIndex) -> dict[str, tuple[str, ...]]:
        """Abstract model -> the concrete models that inherit from it."""
        found: dict[str, list[str]] = defaultdict(list)
        for model in self.models.values():
            if model.abstract:
                continue
            for ancestor in code.ancestors(model.name)[1:]:
                if ancestor in self.models and self.models[ancestor].abstract:
                    found[ancestor].append(model.name)
        return {k: tuple(sorted(v)) for k, v in sorted(found.items())}


def _is_model_base(path: str) -> bool:
    return path in MODEL_BASES or _MODEL_BASE_PATTERN.search(path) is not None


def _is_declarative_base(ancestors: tuple[str, ...], code: CodeIndex) -> bool:
    """`class Base(DeclarativeBase)`: the registry its models derive from (no project class
    above it), which maps no table itself."""
    outside = [a for a in ancestors[1:] if a not in code.classes]
    return len(outside) == len(ancestors) - 1 and any(a in DECLARATIVE_BASES for a in outside)


def _app_configs(code: CodeIndex) -> dict[str, str]:
    """Django app label -> app package, from the AppConfig classes (`name`, `label`)."""
    labels: dict[str, str] = {}
    for cls, ancestors in sorted(code.classes.items()):
        if not any(a in APP_CONFIG_BASES for a in ancestors[1:]):
            continue
        name_expr = code.class_assign(cls, "name")
        package = literal_string(name_expr) if name_expr else None
        if not package:
            continue
        label_expr = code.class_assign(cls, "label")
        label = (literal_string(label_expr) if label_expr else None) or package.rpartition(".")[2]
        labels.setdefault(label, package)
    return labels


def _app_label(module: str, app_packages: Mapping[str, str]) -> str:
    """The label of the Django app a model module belongs to: the AppConfig whose package
    holds it, else the package above its `models` module (Django's own default)."""
    best: tuple[int, str] | None = None
    for label, package in app_packages.items():
        if (module == package or module.startswith(package + ".")) and (
            best is None or len(package) > best[0]
        ):
            best = (len(package), label)
    if best is not None:
        return best[1]
    parts = module.split(".")
    if "models" in parts:
        parts = parts[: parts.index("models")]
    elif len(parts) > 1:
        parts = parts[:-1]
    return parts[-1] if parts else module


def _app_package(module: str) -> str:
    """The package of the app a model module belongs to when no AppConfig names it: the
    package above a `models` module or package, else the module's package."""
    parts = module.split(".")
    if "models" in parts[1:]:
        return ".".join(parts[: parts.index("models", 1)])
    return module.rpartition(".")[0] or module


def find_models(code: CodeIndex) -> ModelCatalog:
    """Every ORM model class and bare table of the project."""
    app_packages = _app_configs(code)
    instance_bases = _instance_bases(code)
    models: dict[str, DataModel] = {}
    for cls, ancestors in sorted(code.classes.items()):
        module = code.class_module(cls)
        if module is None:
            continue
        tablename = code.class_assign(cls, "__tablename__")
        # outside bases: those the solver names, and `db.Model` / `declarative_base()` ones
        bases = (*ancestors[1:], *(instance_bases[a] for a in ancestors if a in instance_bases))
        is_django = any(a.startswith("django.") and _is_model_base(a) for a in bases)
        is_model = is_django or tablename is not None or any(_is_model_base(a) for a in bases)
        if not is_model or (tablename is None and _is_declarative_base(ancestors, code)):
            continue
        name = cls.rpartition(".")[2]
        if is_django:
            label_expr = code.class_assign(cls + ".Meta", "app_label")
            label = (literal_string(label_expr) if label_expr else None) or _app_label(
                module, app_packages
            )
            table_expr = code.class_assign(cls + ".Meta", "db_table")
            table = (literal_string(table_expr) if table_expr else None) or (
                f"{label}_{name.lower()}"
            )
            abstract = code.class_assign(cls + ".Meta", "abstract") is not None
            models[cls] = DataModel(cls, module, table.lower(), "django", abstract, label)
        else:
            table = (literal_string(tablename) if tablename else None) or name.lower()
            abstract = code.class_assign(cls, "__abstract__") is not None
            orm = "sqlalchemy" if any("sqlalchemy" in a for a in bases) else "other"
            if tablename is not None:
                orm = "sqlalchemy" if orm == "other" else orm
            models[cls] = DataModel(cls, module, table.lower(), orm, abstract)
    for table in _bare_tables(code):
        models.setdefault(table.name, table)
    labels = dict(app_packages)
    for model in models.values():
        if model.app_label and model.app_label not in labels:
            labels[model.app_label] = _app_package(model.module)
    return ModelCatalog(dict(sorted(models.items())), dict(sorted(labels.items())))


def _instance_bases(code: CodeIndex) -> dict[str, str]:
    """Project class -> the outside base it names through an object of an ORM, which the
    solver's ancestry leaves out: `class User(db.Model)` with `db = SQLAlchemy()` gives
    `flask_sqlalchemy.SQLAlchemy().Model`, `class Invoice(Base)` with
    `Base = declarative_base()` gives `sqlalchemy.orm.declarative_base()`."""
    found: dict[str, str] = {}
    for module in code.modules:
        for definition in code.facts[module].definitions:
            cls = f"{module}.{definition.qualname}"
            if definition.kind != DefinitionKind.CLASS or cls not in code.classes:
                continue
            for base in definition.bases:
                parts = tuple(base.split("."))
                if not all(p.isidentifier() for p in parts):
                    continue
                path = code.resolve_path(module, parts)
                head, _, attribute = path.rpartition(".")
                for obj, rest in ((path, ""), (head, "." + attribute)):
                    made = _assigned_call(code, obj) if obj else None
                    if made is not None and _is_model_base(made + rest):
                        found[cls] = made + rest
    return found


def _assigned_call(code: CodeIndex, dotted: str) -> str | None:
    """`pkg.ext.db`, where pkg/ext.py assigns `db = SQLAlchemy()` at module level:
    the called path with `()` appended (`flask_sqlalchemy.SQLAlchemy()`)."""
    module = code.module_of(dotted)
    if module is None or dotted == module or "." in dotted[len(module) + 1 :]:
        return None
    flow = code.facts[module].flow
    if flow is None or not flow.scopes:
        return None
    name = dotted[len(module) + 1 :]
    found = None
    for target, value, _line in flow.scopes[0].assigns:
        if target == ("n", name):
            found = None
            if value and value[0] == "c" and value[1] < len(flow.calls):
                parts = expression_path(flow.calls[value[1]].func)
                found = code.resolve_path(module, parts) + "()" if parts else None
    return found


def _bare_tables(code: CodeIndex) -> Iterable[DataModel]:
    """SQLAlchemy Core tables: `orders = Table("orders", metadata, ...)`."""
    for module in code.modules:
        for call in code.calls(module):
            if call.name != "Table" or not call.args or call.args[0] is None:
                continue
            if call.path is not None and "sqlalchemy" not in call.path and "." in call.path:
                continue
            table = call.args[0].lower()
            yield DataModel(f"table:{table}", module, table, "sqlalchemy")
