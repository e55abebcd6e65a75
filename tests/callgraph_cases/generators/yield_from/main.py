class Node:
    def __init__(self, name, children=()):
        self.name = name
        self.children = list(children)


def walk(node, prefix=""):
    path = prefix + "/" + node.name
    yield path
    for child in node.children:
        yield from walk(child, path)


def load_users():
    yield from ("ada", "alan")


def load_orders():
    yield "order-1"


def all_records():
    yield from load_users()
    yield from load_orders()


tree = Node("srv", [Node("www", [Node("index.html")]), Node("log")])
paths = list(walk(tree))
records = [record.upper() for record in all_records()]
