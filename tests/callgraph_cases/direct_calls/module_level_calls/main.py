import settings


def build_url(path):
    return settings.BASE_URL + path


ENDPOINTS = [build_url(path) for path in ("/users", "/orders")]
HEALTH = build_url("/health")
print(len(ENDPOINTS), settings.describe())
