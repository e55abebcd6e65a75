class TaskQueue:
    priority_of = lambda task: task["priority"]  # noqa: E731
    label_of = lambda self, task: task["name"].title()  # noqa: E731

    def __init__(self, tasks):
        self.tasks = tasks

    def ordered(self):
        return sorted(self.tasks, key=lambda t: (TaskQueue.priority_of(t), t["name"]))

    def labels(self):
        return [self.label_of(t) for t in self.ordered()]


queue = TaskQueue([{"name": "deploy", "priority": 2}, {"name": "backup", "priority": 1}])
queue.labels()
