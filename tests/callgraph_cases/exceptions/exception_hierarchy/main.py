class AppError(Exception):
    def __init__(self, message, code=500):
        self.message = message
        self.code = code

    def status(self):
        return self.code


class NotFoundError(AppError):
    def __init__(self, resource):
        super().__init__(f"{resource} not found", 404)


class PermissionDenied(AppError):
    def status(self):
        return 403


ITEMS = {"1": "book"}


def get_item(item_id, user):
    if user != "admin":
        raise PermissionDenied("forbidden")
    if item_id not in ITEMS:
        raise NotFoundError("item " + item_id)
    return ITEMS[item_id]


def handle(item_id, user):
    try:
        return 200, get_item(item_id, user)
    except AppError as error:
        return error.status(), error.message


responses = [handle("1", "admin"), handle("2", "admin"), handle("1", "guest")]
