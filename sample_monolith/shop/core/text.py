"""String helpers.  Half of these exist twice elsewhere; use these ones."""
import re
import unicodedata

try:  # optional, gives nicer slugs for Cyrillic/Greek product names
    from unidecode import unidecode
except ImportError:  # pragma: no cover - depends on the box
    def unidecode(value):
        normalized = unicodedata.normalize("NFKD", value)
        return normalized.encode("ascii", "ignore").decode("ascii")

_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_GERMAN = str.maketrans({"\u00e4": "ae", "\u00f6": "oe", "\u00fc": "ue", "\u00df": "ss",
                         "\u00c4": "Ae", "\u00d6": "Oe", "\u00dc": "Ue"})

DIAL_CODES = {"DE": "49", "FR": "33", "NL": "31", "AT": "43", "GB": "44", "CH": "41", "US": "1"}


def normalize_whitespace(value):
    return _SPACES.sub(" ", value or "").strip()


def slugify(value, max_length=60):
    value = unidecode(normalize_whitespace(value).translate(_GERMAN)).lower()
    slug = _NON_SLUG.sub("-", value).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def truncate(value, length, suffix="..."):
    value = normalize_whitespace(value)
    if len(value) <= length:
        return value
    cut = value[: max(length - len(suffix), 0)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + suffix


def is_email(value):
    return bool(value) and bool(_EMAIL_RE.match(value))


def normalize_email(value):
    value = normalize_whitespace(value).lower()
    local, _, domain = value.partition("@")
    if domain in ("googlemail.com",):
        domain = "gmail.com"
    return f"{local}@{domain}" if domain else local


def mask_email(value):
    local, _, domain = value.partition("@")
    if not domain:
        return "***"
    visible = local[:1]
    return f"{visible}{'*' * max(len(local) - 1, 2)}@{domain}"


def mask_card(number):
    digits = only_digits(number)
    if len(digits) < 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def only_digits(value):
    return "".join(ch for ch in str(value) if ch.isdigit())


def normalize_phone(value, country="DE"):
    """Returns E.164 ('+4917012345678') or '' when the number is hopeless."""
    raw = normalize_whitespace(value)
    if not raw:
        return ""
    digits = only_digits(raw)
    if raw.startswith("+"):
        pass
    elif raw.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        code = DIAL_CODES.get(country)
        if code is None:
            return ""
        digits = code + digits[1:]
    else:
        code = DIAL_CODES.get(country, "")
        if not digits.startswith(code):
            digits = code + digits
    if not 8 <= len(digits) <= 15:
        return ""
    return "+" + digits


def pluralize(count, singular, plural=None):
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count} {word}"


def initials(name):
    return "".join(part[0].upper() for part in normalize_whitespace(name).split(" ") if part)
