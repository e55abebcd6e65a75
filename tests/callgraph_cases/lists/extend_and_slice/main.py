def check_disk():
    return "disk ok"


def check_memory():
    return "memory ok"


def check_network():
    return "network ok"


def check_database():
    return "database ok"


checks = [check_disk]
checks.extend([check_memory, check_network])
checks.insert(0, check_database)

quick_checks = checks[:2]
report = [check() for check in quick_checks]
