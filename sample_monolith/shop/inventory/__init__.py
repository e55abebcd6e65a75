"""Inventory: warehouses, stock levels and reservations."""
from .models import OutOfStock
from .service import available, commit, release, reserve

__all__ = ["OutOfStock", "available", "commit", "release", "reserve"]
