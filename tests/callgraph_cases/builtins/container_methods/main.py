POSTS = [
    {"title": "intro", "tags": ["python", "news"]},
    {"title": "release", "tags": ["news"]},
    {"title": "draft"},
]


def collect_tags(posts):
    seen = set()
    ordered = []
    for post in posts:
        for tag in post.get("tags", []):
            if tag not in seen:
                seen.add(tag)
                ordered.append(tag)
    return ordered


def count_tags(posts):
    counts = {}
    for post in posts:
        for tag in post.get("tags", ()):
            counts[tag] = counts.get(tag, 0) + 1
    return counts


tags = collect_tags(POSTS)
tags.sort()
counts = count_tags(POSTS)
report = sorted(counts.items())
names = list(counts.keys())
position = ("low", "high").index("high")
