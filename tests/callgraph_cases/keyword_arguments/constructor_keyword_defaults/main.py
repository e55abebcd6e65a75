import json


def to_json(event):
    return json.dumps(event, sort_keys=True)


def to_csv(event):
    return ",".join(str(event[k]) for k in sorted(event))


def fixed_clock():
    return 1700000000


class EventLog:
    def __init__(self, *, serializer=to_json, clock=fixed_clock):
        self.serializer = serializer
        self.clock = clock
        self.lines = []

    def record(self, **fields):
        fields["ts"] = self.clock()
        self.lines.append(self.serializer(fields))


log = EventLog(serializer=to_csv)
log.record(user="ada", action="login")
