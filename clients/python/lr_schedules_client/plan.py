"""timm train.py's whole run, paged: the number of epochs it runs and the LR of every
optimizer update, as ``POST /v1/plans`` answers it, a window at a time.

    from lr_schedules_client import Plan

    plan = Plan(sched="cosine", epochs=300, lr=0.5, sched_on_updates=True, updates_per_epoch=5005)
    plan.num_epochs, plan.total_updates          # 300, 1501500
    for update, lrs in enumerate(plan):          # lrs: one float per param group
        ...

The arguments are train.py's, by its names (``sched``, ``epochs``, ``decay_epochs``,
``warmup_epochs``, ``lr_noise``, ``seed``, ``sched_on_updates``, ...), with ``lr`` or
``param_groups``, ``updates_per_epoch``, and ``metrics`` for plateau.
"""
from ._client import as_client, has_numpy
from ._groups import clean
from ._pages import Pages

__all__ = ["Plan"]


class Plan(object):
    def __init__(self, *, client=None, **arguments):
        for window_field in ("start", "count", "epoch_start", "epoch_count"):
            if window_field in arguments:
                raise TypeError("Plan pages the run itself: %s is not an argument" % window_field)
        self._client = as_client(client)
        self.arguments = clean(arguments)
        groups = self.arguments.get("param_groups")
        self.groups = len(groups) if isinstance(groups, list) else 1
        body = dict(self.arguments)
        body["count"] = 1
        # A window of one update checks the arguments and states the run.
        head = self._client.post_json("/v1/plans", body)
        self.num_epochs = head["num_epochs"]
        self.updates_per_epoch = head["updates_per_epoch"]
        self.total_updates = head["total_updates"]
        self.scheduler_class = head["scheduler_class"]
        self._pages = Pages(self._client, "/v1/plans", self.arguments, self.groups, length=self.total_updates,
                            first=4096)

    def __len__(self):
        return self.total_updates

    def lr(self, update):
        """The LRs update ``update`` uses, one per param group."""
        if update < 0:
            update += self.total_updates
        return self._pages.get(update)

    __getitem__ = lr

    def __iter__(self):
        """Every update's LRs in order (lists of floats, one per group), fetched a window
        at a time: the run never sits in memory whole."""
        update = 0
        while update < self.total_updates:
            window = self._pages.window_for(update)
            for t in range(update, window.end):
                yield window.row(t)
            update = window.end

    def windows(self):
        """The run a window at a time: ``(start, values)`` with ``values`` a NumPy
        array (updates, groups) where NumPy is present and the client speaks NPY, else a
        list of per-update lists."""
        update = 0
        while update < self.total_updates:
            window = self._pages.window_for(update)
            skip = update - window.start
            if window.array is not None:
                values = window.array[skip:]
            else:
                values = [window.row(t) for t in range(update, window.end)]
            yield update, values
            update = window.end

    def epoch(self, epoch):
        """The LRs of every update of one epoch."""
        start = epoch * self.updates_per_epoch
        return [self.lr(u) for u in range(start, start + self.updates_per_epoch)]

    def __repr__(self):
        return "Plan(%s, num_epochs=%d, total_updates=%d)" % (self.scheduler_class, self.num_epochs, self.total_updates)
