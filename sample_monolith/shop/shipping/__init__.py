"""Shipping: rates, parcels, carrier bookings and tracking."""
from .rates import quote
from .service import create_shipment, update_tracking

__all__ = ["create_shipment", "quote", "update_tracking"]
