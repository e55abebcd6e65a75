"""Customers: accounts, addresses and the loyalty programme."""
from .service import add_address, get_customer, register

__all__ = ["add_address", "get_customer", "register"]
