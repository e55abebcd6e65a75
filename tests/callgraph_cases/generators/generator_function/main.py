SAVED = []


def read_batches(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def save(batch):
    SAVED.append(len(batch))


def import_rows(rows):
    for batch in read_batches(rows, 2):
        save(batch)
    return len(SAVED)


count = import_rows(["a", "b", "c", "d", "e"])
