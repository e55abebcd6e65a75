import importlib

registry = {}
plugin = importlib.import_module("plugins.csv_export")
plugin.register(registry)
registry["csv"]([["id", "name"], ["1", "ada"]])
