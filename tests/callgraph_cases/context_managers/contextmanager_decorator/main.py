import contextlib
import time


@contextlib.contextmanager
def timed(label, sink):
    start = time.perf_counter()
    try:
        yield
    finally:
        sink.append((label, time.perf_counter() - start))


def rebuild_index(docs):
    return {doc: len(doc) for doc in docs}


timings = []
with timed("reindex", timings):
    rebuild_index(["a", "bb", "ccc"])
