"""How long a 1.5M-update plan takes through the client: timm's ImageNet recipe
(cosine, 300 epochs, 5,005 updates an epoch, on updates), in NPY windows (NumPy) and
in JSON windows, read a window at a time and an update at a time; and, for
comparison, the whole run in one JSON answer read by json.loads.

    LR_SCHEDULES_URL=http://127.0.0.1:3000 python3 clients/python/bench_plan.py
"""
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lr_schedules_client import Client, Plan, has_numpy  # noqa: E402

ARGS = dict(sched="cosine", epochs=300, lr=0.5, sched_on_updates=True, updates_per_epoch=5005)


def timed(label, work):
    started = time.perf_counter()
    result = work()
    print("%-58s %7.2f s" % (label, time.perf_counter() - started))
    return result


def by_windows(fmt):
    plan = Plan(client=Client(format=fmt), **ARGS)
    return sum(len(values) for _, values in plan.windows())


def by_updates(fmt):
    plan = Plan(client=Client(format=fmt), **ARGS)
    n = 0
    for _ in plan:
        n += 1
    return n


def one_answer():
    url = os.environ.get("LR_SCHEDULES_URL", "http://127.0.0.1:3000") + "/v1/plans"
    request = urllib.request.Request(url, data=json.dumps(ARGS).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return len(json.loads(answer.read())["lr"])


if __name__ == "__main__":
    print("NumPy:", has_numpy())
    formats = (["npy"] if has_numpy() else []) + ["json"]
    for fmt in formats:
        assert timed("Plan, %s windows, a window at a time" % fmt, lambda: by_windows(fmt)) == 1501500
        assert timed("Plan, %s windows, an update at a time (for lrs in plan)" % fmt, lambda: by_updates(fmt)) == 1501500
    assert timed("the whole run in one JSON answer, json.loads", one_answer) == 1501500
