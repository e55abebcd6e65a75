import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from shop import app  # noqa: E402


@pytest.fixture(autouse=True)
def seeded():
    """Fresh tables, fresh bus, reference data loaded -- before every test."""
    app.bootstrap(seed=True)
    yield


@pytest.fixture
def customer():
    from shop.customers import service

    c = service.register("test.user@example.de", "Test User", "Sup3r-Secret-Pass", country="DE")
    service.add_address(c.id, "Test User", "Hauptstrasse 5", "Potsdam", "14467", "DE")
    return c


@pytest.fixture
def visa():
    return dict(number="4242424242424242", expiry="12/27", cvc="123", holder="Test User")
