"""Catalog: products, categories, prices and promotion codes."""
from .service import create_category, create_product, create_promotion
from .repository import get_product, list_products

__all__ = ["create_category", "create_product", "create_promotion", "get_product", "list_products"]
