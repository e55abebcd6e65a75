USERS = [{"name": "ada", "role": "admin"}, {"name": "alan", "role": "staff"}]


def find_user(name):
    for user in USERS:
        if user["name"] == name:
            return user
    return None


def greeting(user):
    return "Hello, " + user["name"].title()


def next_job(queue):
    return queue.pop(0) if queue else None


def process(job):
    return job.upper()


if (user := find_user("ada")) is not None:
    message = greeting(user)

queue = ["resize", "upload"]
done = []
while (job := next_job(queue)) is not None:
    done.append(process(job))

long_names = [size for u in USERS if (size := len(u["name"])) > 3]
