from .cart import Cart
from .checkout import checkout

__all__ = ["Cart", "checkout"]
