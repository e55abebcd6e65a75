PAGES = {1: ["ada", "alan"], 2: ["grace"]}


def fetch_page(number):
    return PAGES.get(number, [])


class Paginator:
    def __init__(self, first_page=1):
        self.page = first_page

    def __iter__(self):
        return self

    def __next__(self):
        items = fetch_page(self.page)
        if not items:
            raise StopIteration()
        self.page += 1
        return items


users = []
for page in Paginator():
    users.extend(page)
