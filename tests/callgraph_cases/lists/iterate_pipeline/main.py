def strip_whitespace(lines):
    return [line.strip() for line in lines]


def drop_comments(lines):
    return [line for line in lines if not line.startswith("#")]


def dedupe(lines):
    seen = set()
    unique = []
    for line in lines:
        if line not in seen:
            seen.add(line)
            unique.append(line)
    return unique


PIPELINE = [strip_whitespace, drop_comments, dedupe]


def run_pipeline(lines):
    for step in PIPELINE:
        lines = step(lines)
    return lines


run_pipeline(["  host=a", "# comment", "host=a", "port=80 "])
