TREE = {
    "name": "src",
    "children": [
        {"name": "app.py", "children": []},
        {"name": "lib", "children": [{"name": "util.py", "children": []}]},
    ],
}


def walk(node, visit, depth=0):
    visit(node, depth)
    for child in node["children"]:
        walk(child, visit, depth + 1)


def collect_files(tree):
    files = []

    def visit(node, depth):
        if node["name"].endswith(".py"):
            files.append(node["name"])

    walk(tree, visit)
    return files


def print_node(node, depth):
    print("  " * depth + node["name"])


walk(TREE, print_node)
python_files = collect_files(TREE)
