def paginate(items, size):
    pages = []
    for start in range(0, len(items), size):
        pages.append(items[start : start + size])
    return pages


def label_pages(pages):
    return [f"page {number}: {len(page)} items" for number, page in enumerate(pages, 1)]


def to_records(headers, rows):
    return [dict(zip(headers, row, strict=True)) for row in rows]


pages = paginate(list(range(7)), 3)
labels = label_pages(pages)
records = to_records(("id", "name"), [(1, "ada"), (2, "alan")])
newest_first = list(reversed(records))
