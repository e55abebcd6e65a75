class MetricsPlugin:
    name = "metrics"

    def activate(self, app):
        return f"{self.name} on {app}"


class LegacyPlugin:
    pass


def load(plugin, app):
    label = getattr(plugin, "name", "unnamed")
    if hasattr(plugin, "activate") and callable(plugin.activate):
        hook = getattr(plugin, "activate")  # noqa: B009
        return label, hook(app)
    return label, None


results = [load(plugin, "shop") for plugin in (MetricsPlugin(), LegacyPlugin())]
