"""Reporting: sales, margin and stock figures across every domain."""
from .service import collect, render_text

__all__ = ["collect", "render_text"]
