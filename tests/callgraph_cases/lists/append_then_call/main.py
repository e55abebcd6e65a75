class EventBus:
    def __init__(self):
        self.listeners = []

    def subscribe(self, listener):
        self.listeners.append(listener)

    def publish(self, event):
        for listener in self.listeners:
            listener(event)


def write_audit_log(event):
    return f"audit: {event}"


def send_confirmation(event):
    return f"mail: {event}"


bus = EventBus()
bus.subscribe(write_audit_log)
bus.subscribe(send_confirmation)
bus.publish("order.paid")
