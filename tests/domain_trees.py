"""Synthetic Django-like monoliths for the domain-recovery and clustering tests.

`oscar_like_shop()` builds, as `relative path -> source`, a small django-oscar-style shop: five
business apps (catalogue, basket, order, payment, shipping), each with `models.py`, `views.py`,
`forms.py`, `admin.py`, `urls.py` and `services.py`. As in django-oscar, the views, forms,
services and admin of an app obtain their models and classes through a loader
(`get_model("catalogue", "Product")`, `get_class("catalogue.forms", "ProductForm")`) from
`shop.core.loading`, so the import graph alone does not show what holds an app together, while
every views.py subclasses `shop.core.views.BaseView` and every forms.py `shop.core.forms.BaseForm`
(layer hubs that tie the same layer of every app together). Each app speaks its own words.

The trees are written and analyzed only (never imported or executed: Django is not installed).
`names` renames app packages (the code, the loader strings and the model labels follow), so a
test can check that the result does not depend on what the folders are called.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PROJECT = "shop"
APP_MODULES = ("apps", "models", "views", "forms", "admin", "urls", "services")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # CharField, DecimalField, ... or ForeignKey
    target: tuple[str, str] | None = None  # (app key, model) of a relation


@dataclass(frozen=True)
class Model:
    name: str
    doc: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class App:
    key: str
    doc: str
    models: tuple[Model, ...]
    service_class: str  # the domain service of services.py
    verbs: tuple[str, ...]  # its methods, in the app's own words
    uses: tuple[tuple[str, str], ...] = ()  # (app key, model) services.py reads from other apps
    calls: tuple[str, ...] = ()  # app keys whose domain service services.py calls


def _f(name: str, kind: str = "CharField", target: tuple[str, str] | None = None) -> Field:
    return Field(name, kind, target)


APPS: tuple[App, ...] = (
    App(
        "catalogue",
        "The product catalogue: products, their categories, images and list prices.",
        (
            Model(
                "Product",
                "A product offered in the catalogue, with its title, slug and list price.",
                (
                    _f("title"),
                    _f("slug"),
                    _f("list_price", "DecimalField"),
                    _f("category", "ForeignKey", ("catalogue", "Category")),
                ),
            ),
            Model(
                "Category",
                "A category of the catalogue tree; products are browsed by category.",
                (_f("name"), _f("slug"), _f("depth", "IntegerField")),
            ),
            Model(
                "ProductImage",
                "An image of a product, shown on the product detail page.",
                (_f("product", "ForeignKey", ("catalogue", "Product")), _f("caption")),
            ),
        ),
        "CatalogueService",
        ("browse_category", "reprice_product", "publish_product_image"),
    ),
    App(
        "basket",
        "The shopping basket: basket lines, quantities and vouchers.",
        (
            Model(
                "Basket",
                "A customer's basket of lines before checkout; it can be frozen or merged.",
                (_f("owner"), _f("status"), _f("frozen", "BooleanField")),
            ),
            Model(
                "Line",
                "A basket line: a product and the quantity wanted.",
                (
                    _f("basket", "ForeignKey", ("basket", "Basket")),
                    _f("product", "ForeignKey", ("catalogue", "Product")),
                    _f("quantity", "IntegerField"),
                ),
            ),
            Model(
                "Voucher",
                "A voucher code that gives a basket discount.",
                (_f("code"), _f("discount", "DecimalField")),
            ),
        ),
        "BasketService",
        ("add_line_to_basket", "apply_voucher", "merge_baskets"),
        (("catalogue", "Product"),),
    ),
    App(
        "order",
        "Orders placed at checkout: order numbers, order lines and order notes.",
        (
            Model(
                "Order",
                "A placed order with its number, status and grand total.",
                (
                    _f("number"),
                    _f("status"),
                    _f("grand_total", "DecimalField"),
                    _f("basket", "ForeignKey", ("basket", "Basket")),
                ),
            ),
            Model(
                "OrderLine",
                "One line of an order, as it was when the order was placed.",
                (
                    _f("order", "ForeignKey", ("order", "Order")),
                    _f("product", "ForeignKey", ("catalogue", "Product")),
                    _f("line_total", "DecimalField"),
                ),
            ),
            Model(
                "OrderNote",
                "A note an operator writes on an order.",
                (_f("order", "ForeignKey", ("order", "Order")), _f("message", "TextField")),
            ),
        ),
        "OrderPlacement",
        ("place_order", "cancel_order", "add_order_note"),
        (("basket", "Basket"),),
        ("basket",),
    ),
    App(
        "payment",
        "Payments: payment sources, transactions with the acquirer, and refunds.",
        (
            Model(
                "Source",
                "A payment source (card, wallet) and the amounts debited and refunded.",
                (_f("source_type"), _f("amount_debited", "DecimalField")),
            ),
            Model(
                "Transaction",
                "A transaction with the acquirer: authorise, capture or refund.",
                (
                    _f("source", "ForeignKey", ("payment", "Source")),
                    _f("txn_type"),
                    _f("amount", "DecimalField"),
                    _f("reference"),
                    _f("order", "ForeignKey", ("order", "Order")),
                ),
            ),
            Model(
                "Refund",
                "A refund of a captured transaction.",
                (
                    _f("transaction", "ForeignKey", ("payment", "Transaction")),
                    _f("refund_amount", "DecimalField"),
                ),
            ),
        ),
        "PaymentGateway",
        ("authorise_card", "capture_transaction", "refund_transaction"),
        (("order", "Order"),),
        ("order",),
    ),
    App(
        "shipping",
        "Shipping: carriers, weight bands and shipments with tracking codes.",
        (
            Model(
                "Carrier",
                "A carrier that delivers parcels, with its tracking url.",
                (_f("carrier_name"), _f("tracking_url")),
            ),
            Model(
                "WeightBand",
                "A weight band of a carrier and its postage charge.",
                (
                    _f("carrier", "ForeignKey", ("shipping", "Carrier")),
                    _f("upper_weight", "DecimalField"),
                    _f("charge", "DecimalField"),
                ),
            ),
            Model(
                "Shipment",
                "A shipment of a parcel with a tracking code.",
                (
                    _f("carrier", "ForeignKey", ("shipping", "Carrier")),
                    _f("tracking_code"),
                    _f("order", "ForeignKey", ("order", "Order")),
                ),
            ),
        ),
        "ShippingCalculator",
        ("postage_for_weight", "dispatch_parcel", "track_parcel"),
        (("order", "Order"),),
        ("order",),
    ),
)
APP_KEYS = tuple(app.key for app in APPS)
APPS_BY_KEY = {app.key: app for app in APPS}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _field(field: Field, label: Mapping[str, str]) -> str:
    if field.target is None:
        extra = {
            "CharField": "max_length=128",
            "DecimalField": "max_digits=12, decimal_places=2",
            "IntegerField": "default=0",
            "BooleanField": "default=False",
            "TextField": "blank=True",
        }[field.kind]
        return f"    {field.name} = models.{field.kind}({extra})"
    app, model = field.target
    return (
        f'    {field.name} = models.ForeignKey("{label[app]}.{model}", '
        f'on_delete=models.CASCADE, related_name="{_snake(model)}_set")'
    )


def _models_py(app: App, label: Mapping[str, str]) -> str:
    out = [
        f'"""{app.doc}"""',
        "",
        "from django.db import models",
        "",
        "from shop.core.models import TimeStamped",
        "",
    ]
    for model in app.models:
        out += ["", f"class {model.name}(TimeStamped):", f'    """{model.doc}"""', ""]
        out += [_field(f, label) for f in model.fields]
        first = model.fields[0].name
        out += ["", "    def __str__(self):", f"        return str(self.{first})", ""]
    return "\n".join(out) + "\n"


def _loader_lines(names: list[tuple[str, str]], label: Mapping[str, str]) -> list[str]:
    return [f'{model} = get_model("{label[app]}", "{model}")' for app, model in names]


def _services_py(app: App, label: Mapping[str, str]) -> str:
    own = [(app.key, m.name) for m in app.models]
    main, second, third = (m.name for m in app.models)
    verbs = app.verbs
    peers = [APPS_BY_KEY[key].service_class for key in app.calls]
    out = [
        f'"""{app.doc} The business rules of the app."""',
        "",
        f"from shop.core.loading import {'get_class, ' if peers else ''}get_model",
        "",
        *_loader_lines([*own, *app.uses], label),
        *(
            f'{_snake(peer)} = get_class("{label[key]}.services", "{_snake(peer)}")'
            for key, peer in zip(app.calls, peers, strict=True)
        ),
        "",
        "",
        f"class {app.service_class}:",
        f'    """{app.models[0].doc}"""',
        "",
        f"    def {verbs[0]}(self, {_snake(main)}_id, **changes):",
        f"        {_snake(main)} = {main}.objects.get(pk={_snake(main)}_id)",
        "        for key, value in changes.items():",
        f"            setattr({_snake(main)}, key, value)",
        f"        {_snake(main)}.save()",
        f"        return {_snake(main)}",
        "",
        f"    def {verbs[1]}(self, {_snake(main)}, **values):",
        f"        return {second}.objects.create({_snake(main)}={_snake(main)}, **values)",
        "",
        f"    def {verbs[2]}(self, {_snake(second)}):",
        f"        {_snake(third)} = {third}(**{{'{_snake(second)}': {_snake(second)}}})",
        f"        {_snake(third)}.save()",
        f"        return {_snake(third)}",
    ]
    for _, model in app.uses:
        out += [
            "",
            f"    def {_snake(model)}_for(self, key):",
            f'        """The {_snake(model).replace("_", " ")} this {app.key} work is about."""',
            f"        return {model}.objects.filter(pk=key).first()",
        ]
    for key, peer in zip(app.calls, peers, strict=True):
        verb = APPS_BY_KEY[key].verbs[0]
        out += [
            "",
            f"    def {verb}_then_{app.verbs[0]}(self, key, **changes):",
            f"        {_snake(peer)}.{verb}(key)",
            f"        return self.{app.verbs[0]}(key, **changes)",
        ]
    out += ["", "", f"{_snake(app.service_class)} = {app.service_class}()"]
    return "\n".join(out) + "\n"


def _forms_py(app: App, label: Mapping[str, str]) -> str:
    out = [
        f'"""Forms of the {app.key} app."""',
        "",
        "from shop.core.forms import BaseForm",
        "from shop.core.loading import get_model",
        "",
        *_loader_lines([(app.key, m.name) for m in app.models[:2]], label),
    ]
    for model in app.models[:2]:
        fields = ", ".join(f'"{f.name}"' for f in model.fields)
        out += [
            "",
            "",
            f"class {model.name}Form(BaseForm):",
            f'    """Edit a {_snake(model.name).replace("_", " ")}."""',
            "",
            f"    model = {model.name}",
            f"    fields = [{fields}]",
            "",
            "    def clean(self):",
            "        data = super().clean()",
            f"        if not data.get({fields.split(', ')[0]}):",
            f'            self.add_error({fields.split(", ")[0]}, "required")',
            "        return data",
        ]
    return "\n".join(out) + "\n"


def _views_py(app: App, label: Mapping[str, str]) -> str:
    main, second = app.models[0].name, app.models[1].name
    service = _snake(app.service_class)
    out = [
        f'"""Views of the {app.key} app."""',
        "",
        "from shop.core.loading import get_class, get_model",
        "from shop.core.utils import paginate",
        "from shop.core.views import BaseView",
        "",
        *_loader_lines([(app.key, main), (app.key, second)], label),
        f'{main}Form = get_class("{label[app.key]}.forms", "{main}Form")',
        f'{service} = get_class("{label[app.key]}.services", "{service}")',
        "",
        "",
        f"class {main}DetailView(BaseView):",
        f'    """Show one {_snake(main).replace("_", " ")}."""',
        "",
        "    def get(self, request, pk):",
        f"        {_snake(main)} = {main}.objects.get(pk=pk)",
        f'        context = {{"object": {_snake(main)}}}',
        f'        return self.render("{app.key}/{_snake(main)}.html", context)',
        "",
        "",
        f"class {main}EditView(BaseView):",
        f'    """Change a {_snake(main).replace("_", " ")} through its form."""',
        "",
        "    def post(self, request, pk):",
        f"        form = {main}Form(request.POST)",
        "        if form.is_valid():",
        f"            {service}.{app.verbs[0]}(pk, **form.cleaned_data)",
        '        return self.redirect("detail", pk)',
        "",
        "",
        f"class {second}ListView(BaseView):",
        f'    """List the {_snake(second).replace("_", " ")} records."""',
        "",
        "    def get(self, request):",
        f"        items = paginate({second}.objects.all(), request.GET.get('page'))",
        f'        return self.render("{app.key}/{_snake(second)}_list.html", {{"items": items}})',
    ]
    return "\n".join(out) + "\n"


def _admin_py(app: App, label: Mapping[str, str]) -> str:
    out = [
        f'"""Admin of the {app.key} app."""',
        "",
        "from django.contrib import admin",
        "",
        "from shop.core.loading import get_model",
        "",
        *_loader_lines([(app.key, m.name) for m in app.models], label),
    ]
    for model in app.models:
        shown = ", ".join(f'"{f.name}"' for f in model.fields[:3])
        out += [
            "",
            "",
            f"class {model.name}Admin(admin.ModelAdmin):",
            f"    list_display = ({shown},)",
            f"    search_fields = ({shown.split(', ')[0]},)",
        ]
    out += [""]
    out += [f"admin.site.register({m.name}, {m.name}Admin)" for m in app.models]
    return "\n".join(out) + "\n"


def _apps_py(app: App, label: Mapping[str, str]) -> str:
    config = app.key.title() + "Config"
    return (
        f'"""The {app.key} app."""\n\nfrom django.apps import AppConfig\n\n\n'
        f"class {config}(AppConfig):\n"
        f'    name = "shop.{label[app.key]}"\n'
        f'    label = "{label[app.key]}"\n'
        f'    default_auto_field = "django.db.models.BigAutoField"\n'
    )


def _urls_py(app: App, label: Mapping[str, str]) -> str:
    main, second = app.models[0].name, app.models[1].name
    views = [f"{main}DetailView", f"{main}EditView", f"{second}ListView"]
    out = [
        f'"""URLs of the {app.key} app."""',
        "",
        "from django.urls import path",
        "",
        "from shop.core.loading import get_class",
        "",
        *(f'{v} = get_class("{label[app.key]}.views", "{v}")' for v in views),
        "",
        f'app_name = "{app.key}"',
        "urlpatterns = [",
        f'    path("<int:pk>/", {views[0]}.as_view(), name="detail"),',
        f'    path("<int:pk>/edit/", {views[1]}.as_view(), name="edit"),',
        f'    path("{_snake(second)}/", {views[2]}.as_view(), name="{_snake(second)}-list"),',
        "]",
    ]
    return "\n".join(out) + "\n"


CORE: dict[str, str] = {
    "shop/__init__.py": "",
    "shop/core/__init__.py": "",
    "shop/core/loading.py": '''
        """Load models and classes by app label, so that a project can override any of them."""

        from importlib import import_module

        from django.apps import apps


        def get_model(app_label, model_name):
            return apps.get_model(app_label, model_name)


        def get_class(module_label, classname):
            module = import_module("shop." + module_label)
            return getattr(module, classname)
    ''',
    "shop/core/models.py": '''
        """Abstract bases shared by every model."""

        from django.db import models


        class TimeStamped(models.Model):
            """Creation and modification times."""

            created = models.DateTimeField(auto_now_add=True)
            modified = models.DateTimeField(auto_now=True)

            class Meta:
                abstract = True
    ''',
    "shop/core/utils.py": '''
        """Small helpers for views."""

        PAGE_SIZE = 20


        def paginate(items, page):
            number = max(int(page or 1), 1)
            start = (number - 1) * PAGE_SIZE
            return list(items)[start : start + PAGE_SIZE]
    ''',
    "shop/core/views.py": '''
        """The base of every view: rendering, redirects and permission checks."""


        class BaseView:
            template_engine = "django"

            @classmethod
            def as_view(cls):
                return cls().dispatch

            def dispatch(self, request, *args, **kwargs):
                handler = getattr(self, request.method.lower())
                return handler(request, *args, **kwargs)

            def render(self, template, context):
                return {"template": template, "context": context}

            def redirect(self, name, *args):
                return {"redirect": name, "args": args}
    ''',
    "shop/core/forms.py": '''
        """The base of every form: cleaning and error collection."""


        class BaseForm:
            model = None
            fields = []

            def __init__(self, data=None):
                self.data = dict(data or {})
                self.errors = {}
                self.cleaned_data = {}

            def is_valid(self):
                self.cleaned_data = self.clean()
                return not self.errors

            def clean(self):
                return {k: v for k, v in self.data.items() if k in self.fields}

            def add_error(self, field, message):
                self.errors.setdefault(field, []).append(message)
    ''',
}


def oscar_like_shop(names: Mapping[str, str] | None = None) -> dict[str, str]:
    """The files of the shop; `names` maps an app key to the package name it gets."""
    label = {key: (names or {}).get(key, key) for key in APP_KEYS}
    files = dict(CORE)
    files["shop/settings.py"] = (
        "INSTALLED_APPS = [\n"
        + "".join(f'    "shop.{label[k]}",\n' for k in APP_KEYS)
        + ']\nROOT_URLCONF = "shop.urls"\n'
    )
    files["shop/urls.py"] = (
        "from django.urls import include, path\n\nurlpatterns = [\n"
        + "".join(f'    path("{label[k]}/", include("shop.{label[k]}.urls")),\n' for k in APP_KEYS)
        + "]\n"
    )
    builders = {
        "apps": _apps_py,
        "models": _models_py,
        "views": _views_py,
        "forms": _forms_py,
        "admin": _admin_py,
        "urls": _urls_py,
        "services": _services_py,
    }
    for app in APPS:
        package = f"{PROJECT}/{label[app.key]}"
        files[f"{package}/__init__.py"] = ""
        for name in APP_MODULES:
            files[f"{package}/{name}.py"] = builders[name](app, label)
    return files


def app_truth(names: Mapping[str, str] | None = None) -> dict[str, str]:
    """The authoritative decomposition: each app module (with code) -> its app key."""
    label = {key: (names or {}).get(key, key) for key in APP_KEYS}
    return {f"{PROJECT}.{label[key]}.{module}": key for key in APP_KEYS for module in APP_MODULES}


#: A plain (framework-free) layered shop for the clustering-settings tests: five domains of four
#: modules each (models, repository, service, api) importing one another inside the domain, a
#: few calls across domains, infrastructure every domain uses (`shop.core.db`,
#: `shop.core.config`), and an entry point (`shop.app`, started by `shop.__main__`) that wires
#: every domain's API together.
PLAIN_DOMAINS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # domain: (entity, what it does, domains whose service it calls)
    "catalog": ("Product", "list products and their prices", ()),
    "customers": ("Customer", "register customers and their addresses", ()),
    "orders": ("Order", "place orders for products", ("catalog", "customers")),
    "payments": ("Payment", "charge payments for orders", ("orders",)),
    "shipping": ("Parcel", "ship parcels for orders", ("orders", "customers")),
}
PLAIN_LAYERS = ("models", "repository", "service", "api")


def _plain_domain(domain: str) -> dict[str, str]:
    entity, purpose, calls = PLAIN_DOMAINS[domain]
    lower = entity.lower()
    base = f"shop/{domain}"
    peers = "".join(f"from shop.{peer} import service as {peer}_service\n" for peer in calls)
    peer_calls = "".join(
        f"        {peer}_service.find_{PLAIN_DOMAINS[peer][0].lower()}(ident)\n" for peer in calls
    )
    return {
        f"{base}/__init__.py": "",
        f"{base}/models.py": (
            f'"""The {domain} entities: {purpose}."""\n\n'
            "from dataclasses import dataclass, field\n\n\n"
            "@dataclass\n"
            f"class {entity}:\n"
            "    ident: int\n"
            f"    {lower}_name: str\n"
            f"    {lower}_tags: list[str] = field(default_factory=list)\n\n"
            f"    def {lower}_label(self):\n"
            f'        return f"{entity} {{self.ident}}: {{self.{lower}_name}}"\n'
        ),
        f"{base}/repository.py": (
            f'"""Storage of {lower} records."""\n\n'
            "from shop.core.db import connection\n"
            f"from shop.{domain}.models import {entity}\n\n\n"
            f"class {entity}Repository:\n"
            "    def __init__(self):\n"
            f'        self.table = connection().table("{domain}")\n\n'
            "    def get(self, ident):\n"
            "        row = self.table.get(ident)\n"
            f"        return {entity}(ident, row['name']) if row else None\n\n"
            f"    def add(self, {lower}):\n"
            f"        self.table.put({lower}.ident, {{'name': {lower}.{lower}_name}})\n"
            f"        return {lower}\n"
        ),
        f"{base}/service.py": (
            f'"""The {domain} rules: {purpose}."""\n\n'
            "from shop.core.config import settings\n"
            f"{peers}"
            f"from shop.{domain}.models import {entity}\n"
            f"from shop.{domain}.repository import {entity}Repository\n\n"
            f"_repository = {entity}Repository()\n\n\n"
            f"def find_{lower}(ident):\n"
            "    return _repository.get(ident)\n\n\n"
            f"def create_{lower}(ident, name):\n"
            f"    if len(name) > settings['max_name']:\n"
            f'        raise ValueError("{lower} name too long")\n'
            f"{peer_calls.replace('        ', '    ')}"
            f"    return _repository.add({entity}(ident, name))\n"
        ),
        f"{base}/api.py": (
            f'"""HTTP handlers of {domain}."""\n\n'
            f"from shop.{domain} import service\n"
            f"from shop.{domain}.models import {entity}\n\n\n"
            f"def get_{lower}(request):\n"
            f"    {lower} = service.find_{lower}(int(request['id']))\n"
            f"    return {{'{lower}': {lower}.{lower}_label() if isinstance({lower}, {entity}) "
            "else None}\n\n\n"
            f"def post_{lower}(request):\n"
            f"    created = service.create_{lower}(int(request['id']), request['name'])\n"
            f"    return {{'{lower}': created.{lower}_label()}}\n\n\n"
            f'ROUTES = {{"GET /{domain}": get_{lower}, "POST /{domain}": post_{lower}}}\n'
        ),
    }


def plain_shop() -> dict[str, str]:
    """The files of the plain layered shop (see PLAIN_DOMAINS)."""
    files: dict[str, str] = {
        "shop/__init__.py": "",
        "shop/__main__.py": "from shop.app import main\n\nmain()\n",
        "shop/core/__init__.py": "",
        "shop/core/config.py": (
            '"""Settings read once at start-up."""\n\n'
            "import os\n\n"
            "settings = {\n"
            '    "max_name": int(os.environ.get("SHOP_MAX_NAME", "80")),\n'
            '    "database": os.environ.get("SHOP_DATABASE", "memory"),\n'
            "}\n"
        ),
        "shop/core/db.py": (
            '"""A tiny key-value database: one table per name."""\n\n'
            "from shop.core.config import settings\n\n"
            "_tables = {}\n\n\n"
            "class Table:\n"
            "    def __init__(self):\n"
            "        self.rows = {}\n\n"
            "    def get(self, key):\n"
            "        return self.rows.get(key)\n\n"
            "    def put(self, key, row):\n"
            "        self.rows[key] = row\n\n\n"
            "class Connection:\n"
            "    def __init__(self, url):\n"
            "        self.url = url\n\n"
            "    def table(self, name):\n"
            "        return _tables.setdefault(name, Table())\n\n\n"
            "def connection():\n"
            '    return Connection(settings["database"])\n'
        ),
        "shop/app.py": (
            '"""The web application: every domain\'s routes behind one dispatcher."""\n\n'
            + "".join(f"from shop.{d} import api as {d}_api\n" for d in PLAIN_DOMAINS)
            + "\nROUTES = {}\n"
            + "".join(f"ROUTES.update({d}_api.ROUTES)\n" for d in PLAIN_DOMAINS)
            + "\n\ndef handle(method, path, request):\n"
            '    return ROUTES[f"{method} {path}"](request)\n\n\n'
            "def main():\n"
            + "".join(f'    handle("GET", "/{d}", {{"id": "1"}})\n' for d in PLAIN_DOMAINS)
        ),
    }
    for domain in PLAIN_DOMAINS:
        files.update(_plain_domain(domain))
    return files
