class Logger:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)


class PriceCache:
    def __init__(self, prices: dict[str, int]) -> None:
        self.prices = prices

    def lookup(self, sku: str) -> int:
        return self.prices.get(sku, 0)


class ProductService:
    logger: Logger
    cache: "PriceCache"

    def __init__(self, logger: Logger, cache: PriceCache) -> None:
        self.logger = logger
        self.cache = cache

    def price(self, sku: str) -> int:
        self.logger.info("price " + sku)
        return self.cache.lookup(sku)


def build_service() -> ProductService:
    return ProductService(Logger(), PriceCache({"book": 1200}))


service: ProductService = build_service()
total = service.price("book") + service.price("pen")
