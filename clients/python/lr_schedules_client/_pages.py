"""Values fetched a window at a time, as a loop asks for them.

A :class:`Pages` stands for one request (a scheduler, its parameters, the param
groups, timm's unit and view) over every step. Asking for step t returns it from the
window that holds it, or fetches a window that starts at t. Windows grow fourfold
while the loop reads on in order (the first step does not wait for the whole run;
a fold, which the service computes from step 0 for every window, is not computed
over and over), up to the client's ``page_values``; only the last two windows are
kept, so a run of any length holds at most two windows in memory.

Where the library raises at some step, the service refuses every window that holds
it. A refused window is halved until the window from t is answered (then the steps
before the refusal are served as usual) or the one step t is refused, which raises
the problem at exactly the step where the library raises. A request over the
service's MAX_VALUES is halved the same way.
"""
from .errors import ServiceError

FIRST_WINDOW = 256
GROWTH = 4


class Pages(object):
    def __init__(self, client, path, body, groups, length=None, first=FIRST_WINDOW):
        self.client = client
        self.path = path
        self.body = body
        self.groups = groups
        #: The number of steps there are (None: unbounded).
        self.length = length
        self.first = max(1, first)
        self._size = self.first
        self._windows = []
        self._next = None  # where the last window ended: reading on from there grows the next one
        self._failing_end = None  # a window ending here (or later) was refused
        #: Windows fetched (for tests and diagnostics).
        self.fetches = 0

    @property
    def cap(self):
        return max(1, self.client.page_values // max(1, self.groups))

    def window_for(self, t):
        """The window holding step t, fetched if need be."""
        for window in self._windows:
            if window.start <= t < window.start + window.count:
                return window
        return self._fetch(t)

    def get(self, t):
        """Step t's values, one per group (floats, or None where the library yields none)."""
        for window in self._windows:
            if window.start <= t < window.start + window.count:
                return window.row(t)
        return self._fetch(t).row(t)

    def _fetch(self, t):
        if t < 0:
            raise IndexError("step %d is before the first step, 0" % t)
        if self.length is not None and t >= self.length:
            raise IndexError("step %d is past the last step, %d" % (t, self.length - 1))
        if t == self._next:
            self._size = min(self.cap, self._size * GROWTH)
        else:
            self._size = min(self.cap, self.first)
        count = self._size
        if self.length is not None:
            count = min(count, self.length - t)
        if self._failing_end is not None and t < self._failing_end:
            count = min(count, max(1, (self._failing_end - t) // 2))
        while True:
            body = dict(self.body)
            body["start"] = t
            body["count"] = count
            try:
                window = self.client.window(self.path, body, self.groups)
            except ServiceError as error:
                if error.status == 422 and count > 1 and error.type in ("/problems/schedule-refused", "/problems/too-many-values"):
                    if error.type == "/problems/schedule-refused":
                        self._failing_end = t + count if self._failing_end is None else min(self._failing_end, t + count)
                    count = max(1, count // 2)
                    self._size = count
                    continue
                raise
            break
        self.fetches += 1
        self._windows.append(window)
        if len(self._windows) > 2:
            del self._windows[0]
        self._next = window.start + window.count
        return window

    def clear(self):
        self._windows = []
        self._next = None
        self._failing_end = None
        self._size = self.first
