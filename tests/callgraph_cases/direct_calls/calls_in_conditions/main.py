USERS = {"ada": {"roles": ["admin"]}, "alan": {"roles": []}}


def is_admin(name):
    return "admin" in USERS[name]["roles"]


def has_permission(name, action):
    return action == "read" or is_admin(name)


def pending_jobs(queue):
    return len(queue) > 0


def priority(job):
    return 1 if job.startswith("urgent") else 5


def run(queue):
    done = []
    while pending_jobs(queue):
        job = queue.pop()
        done.append("now" if priority(job) == 1 else "later")
    return done


access = [name for name in USERS if is_admin(name) or has_permission(name, "read")]
if has_permission("alan", "write"):
    access.append("alan:write")
order = run(["urgent-fix", "cleanup"])
assert pending_jobs(order)
