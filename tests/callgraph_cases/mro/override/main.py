class Widget:
    def __init__(self, label):
        self.label = label

    def render(self):
        return f"<span>{self.label}</span>"

    def css_class(self):
        return "widget"


class Button(Widget):
    def render(self):
        return f"<button class='{self.css_class()}'>{self.label}</button>"

    def css_class(self):
        return "btn " + super().css_class()


page = [Button("Save"), Widget("Status: ok")]
html = "".join(w.render() for w in page)
