def slugify(title):
    words = title.strip().lower().split()
    return "-".join(words)


def normalize_header(name):
    return name.replace("_", "-").title()


def parse_query(query):
    pairs = {}
    for part in query.lstrip("?").split("&"):
        key, _, value = part.partition("=")
        pairs[key] = value
    return pairs


slug = slugify("  Hello World  ")
header = normalize_header("content_type")
params = parse_query("?page=2&sort=name")
is_json = header.endswith("Type") and "json".upper().startswith("JS")
template = "{}/{}".format(slug, params["page"])  # noqa: UP032
