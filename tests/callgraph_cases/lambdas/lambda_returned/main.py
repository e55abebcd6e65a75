def min_length(limit):
    return lambda value: len(value) >= limit


def matches_domain(domain):
    suffix = "@" + domain
    return lambda value: value.endswith(suffix)


def validate(value, rules):
    return all([rule(value) for rule in rules])


rules = [min_length(6), matches_domain("example.com")]
validate("ops@example.com", rules)
