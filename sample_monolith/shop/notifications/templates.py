"""Message templates (Jinja2).  Key: '<template>.<channel>'; first line of an e-mail
template is the subject.  German variants where marketing paid for translations."""
from jinja2 import DictLoader, Environment, StrictUndefined, TemplateNotFound

from ..core.db import get_setting
from ..core.money import Money

TEMPLATES = {
    "welcome.email.en": """Welcome to Acme Outdoor, {{ name }}!
Hi {{ first_name }},

thanks for creating an account. You collect loyalty points with every order
and reach silver status at {{ silver_at|money }} of purchases.

Happy trails!
{{ shop_name }}""",
    "welcome.email.de": """Willkommen bei Acme Outdoor, {{ name }}!
Hallo {{ first_name }},

danke fuer deine Anmeldung. Mit jeder Bestellung sammelst du Treuepunkte.""",
    "order_confirmation.email.en": """Your order {{ order.id }}
Hi {{ first_name }},

we received your order {{ order.id }} and reserved the items for you.

{% for line in order.lines %}
  {{ "%-28s"|format(line.name) }} {{ "%3d"|format(line.quantity) }} x {{ line.unit_price|money }}
{% endfor %}

  Subtotal:  {{ order.subtotal|money }}
{% if order.discount_total %}
  Discounts: -{{ order.discount_total|money }}
{% endif %}
  Shipping:  {{ order.shipping_cost|money }}
  VAT:       {{ order.tax_total|money }}
  Total:     {{ order.total|money }}""",
    "order_confirmation.sms.en": "Acme: order {{ order.id }} received, total {{ order.total|money }}.",
    "payment_failed.email.en": """Payment problem with order {{ order_id }}
Hi {{ first_name }},

your payment for order {{ order_id }} did not go through ({{ reason|replace('_', ' ') }}).
Your items stay reserved for a short while; please try another payment method.""",
    "order_shipped.email.en": """Order {{ order.id }} is on its way
Hi {{ first_name }},

your order has shipped in {{ tracking_numbers|length }} parcel(s).

{% for number in tracking_numbers %}
  - {{ number }}
{% endfor %}""",
    "order_shipped.sms.en": "Acme: order {{ order.id }} shipped. Tracking: {{ tracking_numbers|join(', ') }}",
    "order_cancelled.email.en": """Order {{ order_id }} cancelled
Hi {{ first_name }},

your order {{ order_id }} was cancelled ({{ reason }}). You have not been charged.""",
    "refund_issued.email.en": """Refund for order {{ order_id }}
Hi {{ first_name }},

we refunded {{ amount|money }} to your original payment method.
{% if full %}The order is now fully refunded.{% endif %}""",
    "tier_changed.email.en": """You are now {{ tier|title }}
Hi {{ first_name }},

your loyalty status changed to {{ tier }}.""",
    "low_stock.email.en": """[ops] Low stock: {{ sku }}
{{ sku }} is down to {{ available }} available units. Please reorder.""",
}


def money(value):
    if isinstance(value, Money):
        return value.format()
    return Money(value).format()


def _environment():
    env = Environment(loader=DictLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = money
    env.globals["shop_name"] = get_setting("shop.name", "our shop")
    return env


env = _environment()


def available(template_name, channel, language="en"):
    return any(f"{template_name}.{channel}.{lang}" in TEMPLATES for lang in (language, "en"))


def render(template_name, channel, language="en", **context):
    """Returns (subject, body).  Falls back to English when there is no translation."""
    for lang in (language, "en"):
        try:
            template = env.get_template(f"{template_name}.{channel}.{lang}")
            break
        except TemplateNotFound:
            continue
    else:
        raise LookupError(f"no template {template_name}.{channel}")
    text = template.render(**context).strip()
    if channel == "email":
        subject, _, body = text.partition("\n")
        return subject.strip(), body.strip() + "\n"
    return template_name.replace("_", " "), text
