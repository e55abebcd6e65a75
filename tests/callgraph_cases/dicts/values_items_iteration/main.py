def check_database():
    return True


def check_cache():
    return False


def not_empty(value):
    return bool(value)


def short_enough(value):
    return len(value) <= 20


HEALTH_CHECKS = {"database": check_database, "cache": check_cache}
VALIDATORS = {"required": not_empty, "max_length": short_enough}


def health_report():
    return {name: check() for name, check in HEALTH_CHECKS.items()}


def validate(value):
    errors = []
    for rule in VALIDATORS:
        if not VALIDATORS[rule](value):
            errors.append(rule)
    return errors


report = health_report()
all_valid = all(validator("ada") for validator in VALIDATORS.values())
problems = validate("")
