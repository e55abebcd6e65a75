class Shell:
    def __init__(self):
        self.history = []

    def do_list(self, args):
        return sorted(args)

    def do_add(self, args):
        self.history.extend(args)

    def do_quit(self, args):
        return True

    def default(self, line):
        return f"unknown command: {line}"

    def onecmd(self, line):
        command, *args = line.split()
        handler = getattr(self, "do_" + command, None)
        if handler is None:
            return self.default(line)
        return handler(args)


shell = Shell()
for line in ["add report.txt notes.md", "list b a", "help"]:
    shell.onecmd(line)
