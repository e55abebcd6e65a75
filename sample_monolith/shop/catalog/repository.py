from ..core.db import db
from ..core.errors import NotFound
from ..core.text import normalize_whitespace

products = db.table("products", unique=("sku", "slug"))
categories = db.table("categories", unique=("code",))
promotions = db.table("promotions", unique=("code",))


def save_product(product):
    product.assign_id()
    product.touch()
    return products.save(product)


def get_product(sku):
    product = products.get_by("sku", sku)
    if product is None:
        raise NotFound("product", sku)
    return product


def find_product(sku):
    return products.get_by("sku", sku)


def list_products(category=None, active_only=True):
    rows = products.where(lambda p: (not active_only or p.active)
                          and (category is None or p.category == category))
    return sorted(rows, key=lambda p: p.sku)


def search_products(query):
    terms = normalize_whitespace(query).lower().split(" ")
    hits = []
    for product in products.all():
        if not product.active:
            continue
        haystack = " ".join([product.sku, product.name, product.category,
                             " ".join(str(v) for v in product.attributes.values())]).lower()
        score = sum(1 for term in terms if term and term in haystack)
        if score:
            hits.append((-score, product.sku, product))
    return [hit[2] for hit in sorted(hits, key=lambda h: (h[0], h[1]))]


def save_category(category):
    category.assign_id()
    category.touch()
    return categories.save(category)


def get_category(code):
    category = categories.get_by("code", code)
    if category is None:
        raise NotFound("category", code)
    return category


def list_categories():
    return sorted(categories.all(), key=lambda c: c.code)


def save_promotion(promotion):
    promotion.assign_id()
    promotion.touch()
    return promotions.save(promotion)


def find_promotion(code):
    return promotions.get_by("code", (code or "").strip().upper())
