from shop.errors import OutOfStock, ShopError
from shop.inventory import Inventory

inventory = Inventory({"book": 1})
messages = []
for sku in ("book", "book", "lamp"):
    try:
        inventory.reserve(sku)
    except OutOfStock as error:
        messages.append(error.user_message())
    except ShopError as error:
        messages.append(error.user_message())
