def html_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;")


def keep_placeholder(key):
    return "{" + key + "}"


def render(template, *, context, escape, on_missing=keep_placeholder):
    out = template
    for key in ("title", "author"):
        value = context[key] if key in context else on_missing(key)
        out = out.replace("{" + key + "}", escape(value))
    return out


render("<h1>{title}</h1> by {author}", context={"title": "Q&A"}, escape=html_escape)
