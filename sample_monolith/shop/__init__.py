"""Acme Outdoor Supplies -- shop backend (the monolith).

Run ``python -m shop`` for the scripted demo.
"""
__version__ = "3.14.2"
