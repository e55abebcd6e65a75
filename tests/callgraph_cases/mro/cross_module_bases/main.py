from handlers.base import Handler
from handlers.json_handler import JsonHandler

api = JsonHandler("/api/orders")
api.handle('{"id": 5}')
Handler("/ping").handle("pong")
