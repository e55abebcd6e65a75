def flatten(tree):
    items = []
    for node in tree:
        if isinstance(node, list):
            items.extend(flatten(node))
        else:
            items.append(node)
    return items


def depth(tree):
    if not isinstance(tree, list) or not tree:
        return 0
    return 1 + max(depth(node) for node in tree)


def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


nested = [1, [2, [3, 4]], 5]
flat = flatten(nested)
levels = depth(nested)
ways = factorial(5)
